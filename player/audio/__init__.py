"""Audio cues: non-blocking sound output behind a small interface.

``AudioOutput`` is the interface the app plays cues through; ``PlaysoundOutput`` starts each
file at its deadline from a scheduler thread (the player playsound3 chooses, started cheaply),
``NullOutput`` is muted; ``TimedCue`` is one cue handed over ahead of time. Importing this package loads neither
playsound3 nor Qt. The cue files themselves are rendered by ``scripts/make_cues.py`` into
``player/content/media/cues/``.
"""

from player.audio.output import (
    AudioOutput,
    ClipFailedCallback,
    NullOutput,
    PlaysoundOutput,
    UnavailableCallback,
    missing_sound_device_reason,
)
from player.core.ahead import TimedCue, timed_cue

__all__ = [
    "AudioOutput",
    "ClipFailedCallback",
    "NullOutput",
    "PlaysoundOutput",
    "TimedCue",
    "UnavailableCallback",
    "missing_sound_device_reason",
    "timed_cue",
]
