"""Audio cues: non-blocking sound output behind a small interface.

``AudioOutput`` is the interface the app plays cues through; ``PlaysoundOutput`` plays them with
playsound3 from a worker thread, ``NullOutput`` is muted. Importing this package loads neither
playsound3 nor Qt. The cue files themselves are rendered by ``scripts/make_cues.py`` into
``player/content/media/cues/``.
"""

from player.audio.output import (
    AudioOutput,
    NullOutput,
    PlaysoundOutput,
    UnavailableCallback,
    missing_sound_device_reason,
)

__all__ = [
    "AudioOutput",
    "NullOutput",
    "PlaysoundOutput",
    "UnavailableCallback",
    "missing_sound_device_reason",
]
