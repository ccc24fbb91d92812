"""Python's garbage collector runs on the GUI thread only (player.ui.controllers.collector)."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from player.ui.controllers import collector
from player.ui.controllers.collector import GuiThreadCollector, generation_due


@pytest.mark.parametrize(("counts", "due"), [
    ((700, 0, 0), None),      # at the threshold: not passed yet
    ((701, 0, 0), 0),
    ((701, 11, 0), 1),
    ((701, 11, 11), 2),
    ((5, 11, 11), None),      # older generations wait for the youngest to fill, as CPython does
])
def test_the_generation_due_follows_the_interpreters_thresholds(counts, due) -> None:
    assert generation_due(counts, (700, 10, 10)) == due


def test_a_zero_threshold_never_collects() -> None:
    assert generation_due((10_000, 0, 0), (0, 10, 10)) is None


@pytest.fixture
def window(qapp: QApplication):
    w = QWidget()
    yield w
    w.deleteLater()
    qapp.processEvents()


def test_a_cycle_made_on_a_worker_is_collected_on_the_gui_thread(window: QWidget) -> None:
    made = GuiThreadCollector(window)
    try:
        assert not gc.isenabled()
        where: list[str] = []

        class Cycle:
            def __init__(self) -> None:
                self.me = self
                self.timer = QObject()  # a Qt object inside the cycle

            def __del__(self) -> None:
                where.append(threading.current_thread().name)

        def worker() -> None:
            for _ in range(5):
                Cycle()
            for _ in range(20_000):  # plenty of allocations: the interpreter would collect here
                [object()]

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert where == []  # nothing collected on the worker
        gc.set_threshold(1, 10, 10)
        try:
            [object() for _ in range(3)]
            made.collect_if_due()
        finally:
            gc.set_threshold(700, 10, 10)
        gc.collect()  # what a later, older collection on this thread does for the rest
        assert where and set(where) == {threading.main_thread().name}
    finally:
        made.stop()
    assert gc.isenabled()


def on_a_quarter_hour(interval_ms: int) -> bool:
    """Whether a timer started now for ``interval_ms`` ends on a quarter hour (give or take
    the moments this test takes)."""
    woken = datetime.now(UTC) + timedelta(milliseconds=interval_ms)
    off = (woken.minute % 15) * 60 + woken.second + woken.microsecond / 1e6
    return 1 <= interval_ms / 1000 <= 15 * 60 + 1 and min(off, 15 * 60 - off) < 2


def test_it_checks_once_a_second_shown_and_on_the_quarter_hours_hidden(
        qapp: QApplication, window: QWidget) -> None:
    made = GuiThreadCollector(window)  # never shown yet, as when started in the tray
    try:
        assert on_a_quarter_hour(made.interval_ms)
        window.show()
        qapp.processEvents()
        assert made.interval_ms == collector.SHOWN_INTERVAL_MS
        window.hide()
        qapp.processEvents()
        assert on_a_quarter_hour(made.interval_ms)
        made._timer.timeout.emit()  # noqa: SLF001 - its timeout, without waiting
        assert on_a_quarter_hour(made.interval_ms) and made._timer.isSingleShot()  # noqa: SLF001
        window.show()
        qapp.processEvents()
        assert made.interval_ms == collector.SHOWN_INTERVAL_MS
        assert not made._timer.isSingleShot()  # noqa: SLF001
    finally:
        made.stop()


def test_a_full_collection_waits_a_minute_after_the_last(monkeypatch: pytest.MonkeyPatch,
                                                         window: QWidget) -> None:
    made = GuiThreadCollector(window)
    collected: list[int] = []
    try:
        monkeypatch.setattr(gc, "get_count", lambda: (701, 11, 11))
        monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
        now = [1_000.0]
        monkeypatch.setattr(collector.time, "monotonic", lambda: now[0])
        made._last_full = now[0]  # noqa: SLF001 - the clock the test sets
        assert made.collect_if_due() == 1
        now[0] += collector.FULL_COLLECTION_MIN_SECONDS + 1
        assert made.collect_if_due() == 2
        assert made.collect_if_due() == 1
        assert collected == [1, 2, 1]
    finally:
        monkeypatch.undo()
        made.stop()


def test_the_timer_lives_on_the_gui_thread(window: QWidget) -> None:
    made = GuiThreadCollector(window)
    try:
        timers = made.findChildren(QTimer)
        assert timers and all(t.thread() is window.thread() for t in timers)
    finally:
        made.stop()
