"""The symptom questions (every one answered explicitly) and the first-run notice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from player.core.care import SYMPTOM_QUESTIONS
from player.ui.dialogs.first_run import FirstRunNotice
from player.ui.dialogs.symptoms_dialog import URGENT_GROUP_NOTE, URGENT_WARNING, SymptomsDialog
from player.ui.widgets.labels import TextLabel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NOW = datetime(2024, 3, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def dialog(qtbot) -> SymptomsDialog:
    d = SymptomsDialog(None, NOW)
    qtbot.addWidget(d)
    return d


def when_shown(action) -> None:
    QTimer.singleShot(0, lambda: action(QApplication.activeModalWidget()))


def test_every_question_is_asked_with_nothing_chosen(dialog):
    assert [q.question for q in dialog.questions] == list(SYMPTOM_QUESTIONS)
    assert not any(q.answered for q in dialog.questions)
    assert not dialog.save_button.isEnabled()
    assert dialog.remaining.text() == f"{len(SYMPTOM_QUESTIONS)} questions still to answer."
    first = dialog.questions[0]
    assert first.yes.accessibleName() == f"Yes: {SYMPTOM_QUESTIONS[0].question}"
    assert first.no.accessibleName() == f"No: {SYMPTOM_QUESTIONS[0].question}"
    texts = [label.text() for label in dialog.findChildren(TextLabel)]
    assert URGENT_GROUP_NOTE in texts


def test_save_once_all_are_answered(dialog):
    for q in dialog.questions[:-1]:
        q.no.setChecked(True)
    assert not dialog.save_button.isEnabled()
    assert dialog.answers() is None
    assert dialog.remaining.text() == "1 question still to answer."
    dialog.questions[-1].yes.setChecked(True)
    assert dialog.save_button.isEnabled()
    answers = dialog.answers()
    assert answers.at == NOW
    assert answers.yes() == ("cannot_stand_straight",)
    assert dialog.warning.isHidden()  # not an urgent sign


def test_an_urgent_yes_shows_the_warning_at_once(dialog):
    dialog.questions[1].yes.setChecked(True)
    assert not dialog.warning.isHidden()
    assert dialog.warning.text() == URGENT_WARNING
    dialog.questions[1].no.setChecked(True)
    assert dialog.warning.isHidden()


def test_ask_returns_the_answers_or_none(qtbot):
    def answer(d: SymptomsDialog) -> None:
        for q in d.questions:
            q.no.setChecked(True)
        d.questions[0].yes.setChecked(True)
        d.save_button.click()

    when_shown(answer)
    answers = SymptomsDialog.ask(None, NOW)
    assert answers is not None and answers.yes() == ("bladder_bowel",)
    when_shown(lambda d: d.cancel_button.click())
    assert SymptomsDialog.ask(None, NOW) is None


def test_first_run_notice(qtbot):
    when_shown(lambda d: d.accept_button.click())
    assert FirstRunNotice.ask(None) is True
    when_shown(lambda d: d.decline_button.click())
    assert FirstRunNotice.ask(None) is False
    notice = FirstRunNotice()
    qtbot.addWidget(notice)
    assert "not medical advice" in notice.accessibleDescription()
    assert "does not replace" in notice.accessibleDescription()
    assert isinstance(notice, QDialog)
