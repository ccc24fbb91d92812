"""The care banner on its own and driven by the care controller: shown, dismissed, back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from player.core.care import NOT_A_DIAGNOSIS, SEE_PROFESSIONAL_WHAT_TO_DO, Advice
from player.core.history import PainRating, SymptomAnswers
from player.store.history import HistoryStore
from player.ui.controllers.care_controller import CareController
from player.ui.widgets.banner import DISMISS_TEXT, CareBanner

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)
SEE = Advice("see_professional", ("You rated your pain 7/10 or higher 2 times in the last 7 days.",
                                  "<b>Tags</b> stay as typed."), SEE_PROFESSIONAL_WHAT_TO_DO)
URGENT = Advice("emergency", ("You reported pain shooting down a leg.",), "Get help now.")


@pytest.fixture
def host(qtbot) -> QWidget:
    """A window that is never shown: "visible" is the banner's own isHidden() flag."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def banner(host) -> CareBanner:
    return CareBanner(host)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore.open(tmp_path / "data") as opened:
        yield opened


def test_hidden_without_advice(banner):
    banner.show_advice(Advice("none", (), ""))
    assert banner.isHidden()
    assert banner.text() == ""


def test_see_professional_shows_reasons_as_plain_bullets_and_can_be_dismissed(banner, qtbot):
    banner.show_advice(SEE)
    assert not banner.isHidden()
    assert banner.heading.text() == "See a GP or physiotherapist soon"
    assert banner.reasons.text() == (
        "\u2022 You rated your pain 7/10 or higher 2 times in the last 7 days.\n"
        "\u2022 <b>Tags</b> stay as typed.")
    for label in (banner.heading, banner.reasons, banner.what_to_do, banner.not_a_diagnosis):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert banner.what_to_do.text() == SEE_PROFESSIONAL_WHAT_TO_DO
    assert banner.not_a_diagnosis.text() == NOT_A_DIAGNOSIS
    assert banner.accessibleName() == "Advice to see a professional"
    assert NOT_A_DIAGNOSIS in banner.accessibleDescription()
    assert not banner.dismiss_button.isHidden()
    assert banner.dismiss_button.text() == DISMISS_TEXT
    with qtbot.waitSignal(banner.dismissed, timeout=1000):
        qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()


def test_urgent_is_strong_and_has_no_dismiss_button(banner):
    banner.show_advice(SEE)
    calm = banner.palette().color(QPalette.ColorRole.Window)
    banner.show_advice(URGENT)
    assert not banner.isHidden()
    assert banner.dismiss_button.isHidden()
    assert banner.heading.text() == "Get emergency help now"
    assert banner.accessibleName() == "Emergency care advice"
    background = banner.palette().color(QPalette.ColorRole.Window)
    text = banner.palette().color(QPalette.ColorRole.WindowText)
    assert background != calm
    assert abs(background.lightness() - text.lightness()) > 150  # high contrast
    assert not banner.icon.pixmap().isNull()


def test_urgent_dismiss_does_nothing(banner, qtbot):
    banner.show_advice(URGENT)
    with qtbot.assertNotEmitted(banner.dismissed):
        banner.dismiss_button.click()
    assert not banner.isHidden()


def _severe_twice(store: HistoryStore) -> None:
    store.add_rating(PainRating(NOW - timedelta(days=2), "checkin", 7))
    store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 8))


def _wired(store: HistoryStore, host: QWidget) -> tuple[CareController, CareBanner]:
    controller = CareController(store, clock=lambda: NOW)
    banner = CareBanner(host)
    controller.banner_changed.connect(banner.show_advice)
    banner.dismissed.connect(controller.dismiss_banner)
    return controller, banner


def test_dismissed_for_the_day_and_back_the_next_day(store, host, qtbot):
    _severe_twice(store)
    controller, banner = _wired(store, host)
    controller.refresh(NOW)
    assert not banner.isHidden() and banner.advice.level == "see_professional"
    assert [e.action for e in store.banner_events()] == ["shown"]
    controller.refresh(NOW + timedelta(minutes=5))
    assert [e.action for e in store.banner_events()] == ["shown"]  # not on every refresh

    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    events = store.banner_events()
    assert [e.action for e in events] == ["shown", "dismissed"]
    assert events[-1].level == "see_professional"
    assert events[-1].reasons == controller.advice.reasons  # kept for the clinician's report

    controller.refresh(NOW + timedelta(hours=8))  # later the same day: stays hidden
    assert banner.isHidden()
    assert controller.advice.level == "see_professional"
    tomorrow = datetime(2024, 3, 21, 8, 0, tzinfo=TZ)
    controller.refresh(tomorrow)  # the rule still holds the next day: back again
    assert not banner.isHidden()
    assert [e.action for e in store.banner_events()] == ["shown", "dismissed", "shown"]


def test_urgent_cannot_be_dismissed_and_blocks_the_routine(store, host, qtbot):
    store.add_symptoms(SymptomAnswers(NOW - timedelta(hours=1), bladder_bowel=True))
    controller, banner = _wired(store, host)
    controller.refresh(NOW)
    assert banner.advice.level == "emergency"
    assert banner.dismiss_button.isHidden()
    controller.dismiss_banner(NOW)
    assert not banner.isHidden()
    assert [e.action for e in store.banner_events()] == ["shown"]
    assert not controller.routine_may_start()
    with qtbot.waitSignal(controller.start_blocked, timeout=1000) as blocked:
        assert controller.start_guard(object()) is False
    assert blocked.args[0].level == "emergency"
