"""The symptom questions (every one answered explicitly) and the first-run notice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from player.core.care import SYMPTOM_QUESTIONS
from player.core.history import SymptomAnswers
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


def test_each_answer_is_recorded_as_it_is_given_and_saved_says_so(qtbot):
    given: list[SymptomAnswers] = []

    def answer(d: SymptomsDialog) -> None:
        for q in d.questions:
            q.no.setChecked(True)
        d.questions[0].yes.setChecked(True)
        d.save_button.click()

    when_shown(answer)
    assert SymptomsDialog.ask(None, NOW, record=given.append) == "saved"
    assert len(given) == len(SYMPTOM_QUESTIONS) + 1
    assert all(len(a.answered()) == 1 and a.at == NOW for a in given)
    assert given[-1].yes() == ("bladder_bowel",)  # the change from no to yes, last


def test_a_yes_is_kept_when_the_form_is_closed(qtbot):
    given: list[SymptomAnswers] = []

    def answer_one_and_close(d: SymptomsDialog) -> None:
        d.questions[2].yes.setChecked(True)
        d.cancel_button.click()

    when_shown(answer_one_and_close)
    assert SymptomsDialog.ask(None, NOW, record=given.append) == "cancelled"
    assert [a.yes() for a in given] == [("saddle_numbness",)]


def test_only_the_questions_due_are_asked(qtbot):
    fields = [q.field for q in SYMPTOM_QUESTIONS if q.level == "emergency"]
    d = SymptomsDialog(None, NOW, fields=fields)
    qtbot.addWidget(d)
    assert [q.question.field for q in d.questions] == fields
    assert d.put_off_button.isHidden()


def test_the_first_run_form_may_be_put_off(qtbot):
    when_shown(lambda d: d.put_off_button.click())
    assert SymptomsDialog.ask(None, NOW, may_put_off=True) == "put_off"


def test_an_urgent_today_yes_says_to_get_care_today(dialog):
    fever = next(q for q in dialog.questions if q.question.field == "fever")
    fever.yes.setChecked(True)
    assert not dialog.today_warning.isHidden() and dialog.warning.isHidden()


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
