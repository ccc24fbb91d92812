"""Fixtures for the window's tests: the real window on a fake clock, recording its cues."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from player import paths
from player.core.history import SYMPTOM_FIELDS, SymptomAnswers
from player.settings import Settings
from player.ui.controllers import idle_probe, keep_awake
from player.ui.controllers.care_controller import local_now as _local_now
from player.ui.dialogs.cadence_dialog import OwnCadenceDialog
from player.ui.dialogs.first_run import FirstRunNotice
from player.ui.dialogs.history_dialogs import InterruptedDialog, NoticeDialog, ReportFileDialog
from player.ui.dialogs.pain_dialogs import HurtsDialog, InSessionAdvice, PainRatingDialog
from player.ui.dialogs.session_dialogs import (
    BarrierDialog,
    ErrorDialog,
    OpenRoutineDialog,
    SkinCheckDialog,
    StopDialog,
)
from player.ui.dialogs.symptoms_dialog import SymptomsDialog
from player.ui.dialogs.thermal_dialogs import (
    DamagedRecordsDialog,
    SkinBackDialog,
    ThermalScreenDialog,
    ThermalWaitDialog,
)
from tests.fakes import FakeIdleProbe, RecordingInhibitor
from tests.unit.ui.harness import Harness

MakeHarness = Callable[..., Harness]


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would wait forever: a test that expects one replaces its classmethod."""

    def unexpected(cls, *args: object) -> bool:
        raise AssertionError(f"unexpected dialog {cls.__name__}: replace its classmethod")

    for dialog, method in ((BarrierDialog, "ask"), (SkinCheckDialog, "ask"),
                           (OpenRoutineDialog, "ask"), (ErrorDialog, "show_error"),
                           (StopDialog, "ask"), (ThermalScreenDialog, "ask"),
                           (ThermalWaitDialog, "ask"), (SkinBackDialog, "ask"),
                           (OwnCadenceDialog, "ask"), (DamagedRecordsDialog, "tell")):
        monkeypatch.setattr(dialog, method, classmethod(unexpected))


@pytest.fixture(autouse=True)
def no_real_screensaver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows keep the screen awake through a recording fake, never the desktop's own
    screensaver (tests/integration/test_keep_awake_dbus.py talks to a fake bus)."""
    monkeypatch.setattr(keep_awake, "platform_inhibitor", lambda _app: RecordingInhibitor())


@pytest.fixture(autouse=True)
def no_real_idle_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows ask a fake for the idle time (one that does not know it: wall time), never the
    desktop (tests/integration/test_idle_dbus.py talks to a fake bus)."""
    monkeypatch.setattr(idle_probe, "platform_idle_probe", FakeIdleProbe)


@pytest.fixture
def no_care_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """In whole-window tests the history and care dialogs are unexpected too, except the pain
    rating, which can always be skipped (tests about ratings replace it with an answer)."""

    def unexpected(cls, *args: object, **kwargs: object) -> bool:
        raise AssertionError(f"unexpected dialog {cls.__name__}: replace its classmethod")

    for dialog, method in ((FirstRunNotice, "ask"), (SymptomsDialog, "ask"),
                           (HurtsDialog, "ask"), (InSessionAdvice, "ask"),
                           (InterruptedDialog, "ask"), (NoticeDialog, "show_notice"),
                           (ReportFileDialog, "ask")):
        monkeypatch.setattr(dialog, method, classmethod(unexpected))
    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(lambda cls, *args: None))


def _sound_and_current(database: Path) -> bool:
    """True when *database* is a history of this version that opens as it is (read only)."""
    import sqlite3

    from player.store.db import SCHEMA_VERSION

    try:
        # immutable: no -shm or -wal file is made beside it (a test may compare the folder).
        if database.with_name(database.name + "-wal").exists():
            return False
        with sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        conn.close()
        return bool(ok and version == SCHEMA_VERSION)
    except sqlite3.Error:
        return False


def answer_every_question_no(data_dir: Path) -> None:
    """Record "no" to every symptom question and to the ice-and-heat screen an hour ago, where
    the history has none of them: a session would otherwise ask them first (clinical-notes.md
    v2). A history that is broken, newer or older on purpose is left alone."""
    from datetime import timedelta

    from player.core.history import SYMPTOM_FIELDS, SymptomAnswers
    from player.core.thermal import SCREEN_FIELDS, ThermalScreen
    from player.store.db import StoreError
    from player.store.history import HistoryStore
    from player.ui.controllers.care_controller import local_now

    database = paths.database_file(data_dir)
    if database.exists() and not _sound_and_current(database):
        return  # a test's own broken (or newer, or older) history: left as it is
    try:
        with HistoryStore.open(data_dir) as store:
            if not store.symptom_history():
                store.add_symptoms(SymptomAnswers(local_now() - timedelta(hours=1),
                                                  **dict.fromkeys(SYMPTOM_FIELDS, False)))
            if store.latest_thermal_screen() is None:  # no reason to skip ice or heat
                store.add_thermal_screen(ThermalScreen(local_now() - timedelta(hours=1),
                                                       **dict.fromkeys(SCREEN_FIELDS, False)))
    except StoreError:
        pass


@pytest.fixture
def questions_answered_no(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Answers every symptom question asked "no", one answer at a time as the form records
    them; returns the questions asked each time."""
    asked: list[tuple[str, ...]] = []

    def ask(cls, parent, now=None, *, fields=None, may_put_off=False, record=None):
        fields = tuple(fields or SYMPTOM_FIELDS)
        asked.append(fields)
        for name in fields:
            if record is not None:
                record(SymptomAnswers(_local_now(), **{name: False}))
        return "saved"

    monkeypatch.setattr(SymptomsDialog, "ask", classmethod(ask))
    return asked


@pytest.fixture
def make_harness(qapp: QApplication, isolated_data_dir: Path,
                 no_care_dialogs: None) -> Iterator[MakeHarness]:
    """Makes harnesses (closed at the end of the test); tones only unless settings say else."""
    made: list[Harness] = []

    def make(settings: Settings | None = None, answered: bool = True,
             **kwargs: object) -> Harness:
        if settings is None and not paths.settings_file(isolated_data_dir).exists():
            settings = Settings(spoken_cues=False, notice_accepted=True)
        if answered:
            answer_every_question_no(isolated_data_dir)
        harness = Harness(qapp, isolated_data_dir, settings, **kwargs)  # type: ignore[arg-type]
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def harness(make_harness: MakeHarness) -> Harness:
    """The shown window, routines listed, on a fake clock, tones only."""
    h = make_harness()
    h.show()
    return h
