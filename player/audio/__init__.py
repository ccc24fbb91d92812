"""Audio cues: non-blocking sound output behind a small interface.

``AudioOutput`` is the interface the app plays cues through; ``CueProcessOutput`` (the app's)
hands each file with its deadline to a small long-lived cue process that starts the player
playsound3 chooses at that moment; ``PlaysoundOutput`` does the same from a thread in the app
(the fallback); ``NullOutput`` is muted; ``TimedCue`` is one cue handed over ahead of time.
Importing this package loads neither playsound3 nor Qt, and its names are imported on first use,
so the cue process (:mod:`player.audio.cue_process`) imports only what it needs. The cue files
themselves are rendered by ``scripts/make_cues.py`` into ``player/content/media/cues/``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from player.audio.output import (
        AudioOutput,
        ClipFailedCallback,
        NullOutput,
        PlaysoundOutput,
        UnavailableCallback,
        missing_sound_device_reason,
    )
    from player.audio.process_output import CueProcessOutput
    from player.core.ahead import TimedCue, timed_cue

_WHERE = {
    "AudioOutput": "player.audio.output",
    "ClipFailedCallback": "player.audio.output",
    "NullOutput": "player.audio.output",
    "PlaysoundOutput": "player.audio.output",
    "UnavailableCallback": "player.audio.output",
    "missing_sound_device_reason": "player.audio.output",
    "CueProcessOutput": "player.audio.process_output",
    "TimedCue": "player.core.ahead",
    "timed_cue": "player.core.ahead",
}

__all__ = [
    "AudioOutput",
    "ClipFailedCallback",
    "CueProcessOutput",
    "NullOutput",
    "PlaysoundOutput",
    "TimedCue",
    "UnavailableCallback",
    "missing_sound_device_reason",
    "timed_cue",
]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
