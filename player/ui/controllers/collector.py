"""Python's cyclic garbage collector, run on the GUI thread only.

The interpreter collects in whichever thread is allocating when a generation's threshold is
passed, and the app has threads that allocate a lot: the library's background check, the
picture workers, the audio scheduler. A cycle that holds a Qt object, collected there, destroys
that object off its own thread ("QObject::killTimer: Timers cannot be stopped from another
thread"), which can crash the process later. So the automatic collector is switched off, and a
timer on the GUI thread collects the generations whose thresholds the counts have passed: the
rule the interpreter itself applies, checked once a second while the window is shown and, while
it is hidden (in the tray), on each quarter hour of the clock, when the reminders' timer wakes
the app anyway (:mod:`player.core.wake_times`): in the tray it allocates next to nothing.
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from player.core.wake_times import ms_to_look_again

#: How often the counts are checked while the window is shown (ms); hidden, on the quarter hours.
SHOWN_INTERVAL_MS = 1_000
#: The interpreter puts off a full collection while few long-lived objects are new (a count it
#: does not show); this stands in for that: at most one full collection a minute.
FULL_COLLECTION_MIN_SECONDS = 60.0


def generation_due(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int | None:
    """The oldest generation whose count has passed its threshold (collecting it collects the
    younger ones too), or None when none has: ``gc.get_count()`` against ``gc.get_threshold()``."""
    if not thresholds[0] or counts[0] <= thresholds[0]:
        return None  # the youngest generation fills first, as in CPython (a 0 switches it off)
    for generation in (2, 1):
        if counts[generation] > thresholds[generation]:
            return generation
    return 0


class GuiThreadCollector(QObject):
    """Switches the automatic collector off and collects on the GUI thread instead, until
    :meth:`stop` (which switches it back on)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._hidden = False
        self._last_full = time.monotonic()
        gc.disable()
        self._follow(shown=window.isVisible())  # not shown yet: started in the tray
        window.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        """How often the counts are checked now (hidden: how long until the next check)."""
        return self._timer.interval()

    def _on_timer_timeout(self) -> None:
        self.collect_if_due()
        if self._hidden:
            self._arm_hidden()

    def _arm_hidden(self) -> None:
        self._timer.start(ms_to_look_again(datetime.now(UTC)))

    def _follow(self, shown: bool) -> None:
        self._hidden = not shown
        self._timer.setSingleShot(not shown)
        # Hidden, precise, so that it fires in the same wake as the other quarter-hour timers.
        self._timer.setTimerType(Qt.TimerType.CoarseTimer if shown
                                 else Qt.TimerType.PreciseTimer)
        if shown:
            self._timer.start(SHOWN_INTERVAL_MS)
        else:
            self._arm_hidden()

    def collect_if_due(self) -> int | None:
        """Collect the generation that is due, if any (on this, the GUI, thread); returns it."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = generation_due((counts[0], counts[1], counts[2]),
                                    (thresholds[0], thresholds[1], thresholds[2]))
        if generation == 2:
            if time.monotonic() - self._last_full < FULL_COLLECTION_MIN_SECONDS:
                generation = 1
            else:
                self._last_full = time.monotonic()
        if generation is not None:
            gc.collect(generation)
        return generation

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Check often while the window is shown, rarely while it is hidden."""
        if watched is self._window and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._follow(shown=event.type() == QEvent.Type.Show)
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        """Collect once more here and give collecting back to the interpreter."""
        self._timer.stop()
        self._window.removeEventFilter(self)
        gc.collect()
        gc.enable()
