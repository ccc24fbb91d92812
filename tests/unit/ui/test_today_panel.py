"""The "Today" section of the library: the panel alone, then in the real window from a stored
history (what is due, the programme week, this week's count, last done, Start)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QWidget

from player.store.history import HistoryStore
from player.ui.controllers.care_controller import local_now
from player.ui.widgets.today_panel import NOTHING_DUE, TodayPanel, TodayRow

CORE_TITLE = "Core strength for runners"


def row(title: str, due: bool, standing: str = "Week 1 of 6") -> TodayRow:
    return TodayRow(Path(f"/r/{title}.yaml"), title, standing, due)


def test_due_routines_come_first_each_with_start_and_the_rest_follow(qtbot):
    holder = QWidget()  # shown inside a page, as in the window
    qtbot.addWidget(holder)
    panel = TodayPanel(holder)
    assert panel.isHidden()
    started: list[Path] = []
    panel.start_requested.connect(started.append)
    panel.show_today([row("Stretches", False, "done today"), row("<b>Core</b>", True)], False)
    assert panel.lines() == ["<b>Core</b>", "Week 1 of 6", "Stretches", "done today"]
    assert list(panel.start_buttons) == [Path("/r/<b>Core</b>.yaml")]
    panel.start_buttons[Path("/r/<b>Core</b>.yaml")].click()
    assert started == [Path("/r/<b>Core</b>.yaml")]
    assert not panel.isHidden()


def test_nothing_due_is_said_and_the_morning_check_is_offered_when_pending(qtbot):
    holder = QWidget()  # shown inside a page, as in the window
    qtbot.addWidget(holder)
    panel = TodayPanel(holder)
    asked: list[bool] = []
    panel.morning_check_requested.connect(lambda: asked.append(True))
    panel.show_today([row("Stretches", False)], True)
    assert NOTHING_DUE in panel.lines()
    assert panel.morning_button is not None and not panel.start_buttons
    panel.morning_button.click()
    assert asked == [True]
    panel.show_today([], False)
    assert panel.isHidden() and panel.lines() == []


def test_the_window_shows_the_programme_followed_and_starts_it(
        make_harness, isolated_data_dir: Path, questions_answered_no) -> None:
    now = local_now()
    with HistoryStore.open(isolated_data_dir) as store:
        sid = store.start_session(routine_title=CORE_TITLE, started_at=now - timedelta(days=15))
        store.finish_session(sid, "completed", now - timedelta(days=15, minutes=-20))
    h = make_harness()
    h.show()
    panel = h.app.week.today
    assert not panel.isHidden()
    [followed] = panel.rows  # only the routine played: the other bundled ones are not listed
    assert followed.title == CORE_TITLE and followed.due
    day = (now - timedelta(days=15)).date()
    assert followed.standing == (f"Week 3 of 6 \u00b7 0 of 3 this week \u00b7 "
                                 f"last done on {day.day} {day:%b %Y} \u00b7 due today")
    assert CORE_TITLE in h.visible_texts()
    panel.start_buttons[followed.path].click()
    assert h.app.controller.in_play
    assert h.app.controller.driver.engine.timeline.title == CORE_TITLE
    assert h.app.controller.session.week == 3  # this week's doses, not week 1's


def test_a_chosen_start_puts_a_programme_in_today(make_harness) -> None:
    h = make_harness()
    h.show()
    assert h.app.week.today.isHidden()  # nothing followed yet: no list of every bundled routine
    h.app.settings.set_programme_start(CORE_TITLE, local_now().date() - timedelta(days=8))
    [followed] = h.app.week.today.rows
    assert followed.standing.startswith("Week 2 of 6 \u00b7 0 of 3 this week \u00b7 not done yet")


def test_coming_back_to_the_window_on_a_new_day_shows_the_new_day(make_harness, monkeypatch,
                                                                  isolated_data_dir: Path) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from player.ui import week_features

    now = local_now()
    with HistoryStore.open(isolated_data_dir) as store:
        sid = store.start_session(routine_title=CORE_TITLE, started_at=now)
        store.finish_session(sid, "completed", now + timedelta(minutes=20))
    h = make_harness()
    h.show()
    [followed] = h.app.week.today.rows
    assert not followed.due and followed.standing.endswith("last done today \u00b7 done today")
    monkeypatch.setattr(week_features, "local_now", lambda: now + timedelta(days=1))
    QApplication.sendEvent(h.window, QEvent(QEvent.Type.WindowActivate))
    [followed] = h.app.week.today.rows
    assert followed.due and "last done yesterday" in followed.standing


def test_a_pending_morning_check_is_listed_until_it_is_rated_from_today(
        make_harness, monkeypatch, isolated_data_dir: Path) -> None:
    from player.core.history import PainRating
    from player.ui.dialogs.pain_dialogs import PainRatingDialog

    # Two days ago (so the morning has opened at whatever hour the test runs).
    day = local_now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    with HistoryStore.open(isolated_data_dir) as store:
        sid = store.start_session(routine_title="Short one", started_at=day)
        store.add_rating(PainRating(day, "before", 3, session_id=sid))
        store.finish_session(sid, "completed", day + timedelta(minutes=20))
    answers: list[tuple[int, str, str] | None] = [None, (2, "", "")]  # "not now", then a 2
    asked: list[str] = []

    def ask(cls, parent, context, title):
        asked.append(context)
        return answers.pop(0)

    monkeypatch.setattr(PainRatingDialog, "ask", classmethod(ask))
    h = make_harness()
    h.show()
    assert asked == ["morning_after"]  # asked at start, put off
    panel = h.app.week.today
    assert panel.morning_button is not None and not panel.isHidden()
    panel.morning_button.click()
    assert asked == ["morning_after", "morning_after"]
    assert panel.morning_button is None and panel.isHidden()
    with HistoryStore.open(isolated_data_dir) as store:
        assert [r.rating for r in store.ratings() if r.context == "morning_after"] == [2]
