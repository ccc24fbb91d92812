"""The pain rating dialog, "this hurts" and the in-session advice: keys, answers, wording."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from player.core.care import in_session_action
from player.core.clinical import PAIN_ANCHORS
from player.core.stop_signs import CHOICES_HEADING, StopSign
from player.ui.dialogs.pain_dialogs import (
    QUESTIONS,
    HurtsDialog,
    InSessionAdvice,
    PainRatingDialog,
)
from player.ui.widgets.labels import TextLabel

# Showing a dialog offscreen makes Qt say the platform cannot pass on size hints: harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def dialog(qtbot) -> PainRatingDialog:
    d = PainRatingDialog(None, "before")
    qtbot.addWidget(d)
    return d


def answer_when_shown(action) -> None:
    """Run *action(dialog)* once the modal dialog is up."""
    def run() -> None:
        active = QApplication.activeModalWidget()
        assert isinstance(active, QDialog)
        action(active)
    QTimer.singleShot(0, run)


def test_numbers_show_their_anchor_words(dialog):
    buttons = dialog.scale.buttons
    assert len(buttons) == 11
    assert [b.text() for b in buttons] == [str(n) for n in range(11)]
    assert buttons[0].accessibleName() == "0, no pain"
    assert buttons[2].accessibleName() == "2, mild"
    assert buttons[5].accessibleName() == "5, moderate"
    assert buttons[10].accessibleName() == "10, worst pain imaginable"
    texts = {label.text() for label in dialog.scale.findChildren(TextLabel)}
    assert {"no pain", "1-3 mild", "4-6 moderate", "7-9 severe", "worst pain imaginable"} <= texts
    assert all(f"{n}, {PAIN_ANCHORS[n]}" == buttons[n].accessibleName() for n in range(11))


def test_digits_choose_and_one_then_zero_is_ten(dialog, qtbot):
    assert dialog.scale.rating is None and not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, "5")
    assert dialog.scale.rating == 5
    assert dialog.save_button.isEnabled()
    assert dialog.chosen.text() == "You chose 5 (moderate)."
    qtbot.keyClick(dialog, "1")
    qtbot.keyClick(dialog, "0")
    assert dialog.scale.rating == 10
    qtbot.keyClick(dialog, "0")
    assert dialog.scale.rating == 0


def test_arrows_home_and_end_move_the_choice(dialog, qtbot):
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.scale.rating == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.scale.rating == 1
    qtbot.keyClick(dialog, Qt.Key.Key_End)
    assert dialog.scale.rating == 10
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.scale.rating == 10
    qtbot.keyClick(dialog, Qt.Key.Key_Home)
    assert dialog.scale.rating == 0


def test_digits_typed_in_the_note_stay_in_the_note(dialog, qtbot):
    qtbot.keyClick(dialog, "3")
    qtbot.keyClicks(dialog.note, "ran 5 km")
    assert dialog.note.text() == "ran 5 km"
    assert dialog.scale.rating == 3


def test_enter_does_not_accept_before_a_number_is_chosen(dialog):
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.answer() is None


def test_ask_returns_rating_note_and_body_area(qtbot):
    def fill(d: PainRatingDialog) -> None:
        qtbot.keyClick(d, "7")
        d.note.setText("  <b>after</b> a long drive  ")
        d.body_area.setCurrentText("Lower back, left side")
        qtbot.keyClick(d.note, Qt.Key.Key_Return)  # Enter accepts

    answer_when_shown(fill)
    assert PainRatingDialog.ask(None, "checkin", "Daily check-in") == (
        7, "<b>after</b> a long drive", "Lower back, left side")


def test_skip_returns_none(qtbot):
    answer_when_shown(lambda d: (qtbot.keyClick(d, "4"), d.skip_button.click()))
    assert PainRatingDialog.ask(None, "after") is None


@pytest.mark.parametrize("context", ["before", "after", "during", "checkin", "morning_after"])
def test_each_context_asks_its_question(qtbot, context):
    d = PainRatingDialog(None, context, "Rate")
    qtbot.addWidget(d)
    assert d.scale.accessibleDescription() == QUESTIONS[context]
    assert d.windowTitle() == "Rate"


def test_hurts_needs_an_answer_and_returns_rating_and_sharpness(qtbot):
    d = HurtsDialog(None, has_easier_variant=True)
    qtbot.addWidget(d)
    assert not d.ok_button.isEnabled() and d.answer() is None
    d.sharp.setChecked(True)
    assert d.ok_button.isEnabled()
    assert d.answer() == (None, "sharp", ())
    qtbot.keyClick(d, "6")
    assert d.answer() == (6, "sharp", ())
    d.ache.setChecked(True)
    assert d.answer() == (6, "ache", ())
    assert in_session_action(6, False, has_easier_variant=True) == "offer_easier"


def test_hurts_offers_the_leg_symptoms(qtbot):
    d = HurtsDialog(None, has_easier_variant=True)
    qtbot.addWidget(d)
    d.feels["leg_pain"].setChecked(True)
    assert d.answer() == (None, "leg_pain", ())
    d.feels["leg_numb"].setChecked(True)
    assert d.answer() == (None, "leg_numb", ())
    assert d.feels["leg_numb"].accessibleName() == "Numbness or tingling in a leg"


def test_hurts_ask(qtbot):
    answer_when_shown(lambda d: (qtbot.keyClick(d, "3"), d.ache.setChecked(True),
                                 d.ok_button.click()))
    assert HurtsDialog.ask(None, has_easier_variant=False) == (3, "ache", ())
    answer_when_shown(lambda d: d.cancel_button.click())
    assert HurtsDialog.ask(None, has_easier_variant=False) is None


def test_hurts_offers_the_routines_stop_signs_as_choices(qtbot):
    knee = StopSign("other", text="Pain in the <b>knee</b>")
    signs = (StopSign("spreading"), StopSign("pain_above", pain_above=4), knee)
    d = HurtsDialog(None, has_easier_variant=False, stop_signs=signs)
    qtbot.addWidget(d)
    texts = " ".join(label.text() for label in d.findChildren(TextLabel))
    assert CHOICES_HEADING in texts
    assert [d.signs[s].text() for s in signs] == [
        "My symptoms are spreading away from my spine (buttock or leg)",
        "The pain is above 4 out of 10", "Pain in the <b>knee</b>"]  # the file's text, as is
    assert d.answer() is None and not d.ok_button.isEnabled()
    d.signs[knee].setChecked(True)  # a sign alone is an answer
    assert d.ok_button.isEnabled()
    assert d.answer() == (None, None, (knee,))
    d.signs[signs[0]].setChecked(True)
    assert d.answer() == (None, None, (signs[0], knee))


def test_hurts_without_stop_signs_offers_none(qtbot):
    d = HurtsDialog(None, has_easier_variant=False)
    qtbot.addWidget(d)
    assert d.signs == {}
    assert CHOICES_HEADING not in " ".join(label.text() for label in d.findChildren(TextLabel))


def test_hurts_says_what_will_happen(qtbot):
    easier = HurtsDialog(None, True, stop_level=5)
    plain = HurtsDialog(None, False)
    qtbot.addWidget(easier)
    qtbot.addWidget(plain)
    easier_text = " ".join(label.text() for label in easier.findChildren(TextLabel))
    plain_text = " ".join(label.text() for label in plain.findChildren(TextLabel))
    assert "pain of 5 or more" in easier_text and "easier version" in easier_text
    assert "pain of 6 or more" in plain_text and "skip it" in plain_text


def test_in_session_advice_offers_the_easier_variant(qtbot):
    d = InSessionAdvice(None, "offer_easier", "Plank", "Kneeling plank")
    qtbot.addWidget(d)
    assert d.windowTitle() == "Stop this exercise"
    assert d.text.text() == ("Stop Plank now. Try the easier version, Kneeling plank, instead. "
                             "If that hurts too, skip it.")
    assert list(d.buttons) == ["easier", "skip", "stop"]
    assert d.buttons["easier"].text() == "Try Kneeling plank"
    answer_when_shown(lambda dlg: dlg.buttons["easier"].click())
    assert InSessionAdvice.ask(None, "offer_easier", "Plank", "Kneeling plank") == "easier"


def test_in_session_advice_skip_and_the_safe_choice_when_closed(qtbot):
    d = InSessionAdvice(None, "skip", "Side plank")
    qtbot.addWidget(d)
    assert list(d.buttons) == ["skip", "stop"]
    assert d.text.text().startswith("Stop Side plank now and skip it.")
    answer_when_shown(lambda dlg: dlg.reject())
    assert InSessionAdvice.ask(None, "skip", "Side plank") == "skip"
    answer_when_shown(lambda dlg: dlg.reject())
    assert InSessionAdvice.ask(None, "continue", "Bridge") == "continue"


def test_in_session_advice_text_is_plain(qtbot):
    d = InSessionAdvice(None, "skip", "<b>Plank</b>")
    qtbot.addWidget(d)
    assert d.text.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Plank</b>" in d.text.text()


def test_a_check_in_opened_by_hand_is_cancelled_a_prompted_rating_skipped(qtbot):
    asked = PainRatingDialog(None, "checkin")
    prompted = PainRatingDialog(None, "after")
    qtbot.addWidget(asked)
    qtbot.addWidget(prompted)
    assert asked.skip_button.text() == "Cancel"
    assert prompted.skip_button.text() == "Skip"


def test_in_session_advice_offers_the_easier_routine_only_when_stopping(qtbot):
    stop = InSessionAdvice(None, "skip", "Plank", easier_routine=True)
    carry_on = InSessionAdvice(None, "continue", "Plank", easier_routine=True)
    plain = InSessionAdvice(None, "skip", "Plank")
    for d in (stop, carry_on, plain):
        qtbot.addWidget(d)
    assert list(stop.buttons) == ["skip", "easier_routine", "stop"]
    assert "linked an easier routine" in stop.text.text()
    assert "easier_routine" not in carry_on.buttons and "easier_routine" not in plain.buttons
    stop.buttons["easier_routine"].click()
    assert stop.choice == "easier_routine"
