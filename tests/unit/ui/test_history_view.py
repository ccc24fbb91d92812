"""The history page: the sessions table, calendar, adherence, pain summary and chart period."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont

from player.core.history import HistoryData, PainRating, Session, session_pains
from player.core.report import CHART_MAX_DAYS, CHART_MIN_DAYS, chart_period
from player.core.routine import Block, Routine, Schedule
from player.ui.pages.history_view import CHART_PERIODS, HistoryView, SessionTableModel

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 18, 0, tzinfo=TZ)  # a Wednesday
ROUTINE = Routine("Core strength", (Block("Main", ()),),
                  schedule=Schedule(times_per_week=3, weeks=52))


def history(days: int, seed: int = 1) -> HistoryData:
    """A session on most days up to NOW, with before/after ratings and a check-in every third."""
    rng = random.Random(seed)
    sessions, ratings = [], []
    for day in range(days, 0, -1):
        started = NOW - timedelta(days=day - 1, hours=9)
        if day % 3 == 0:
            ratings.append(PainRating(started + timedelta(hours=4), "checkin", rng.randint(2, 5)))
        if rng.random() < 0.35:
            continue
        sid = len(sessions) + 1
        outcome = "stopped" if sid % 7 == 0 else "completed"
        sessions.append(Session(sid, "Core strength", "1", "", started,
                                started + timedelta(minutes=25), outcome, 12, sid % 3))
        ratings.append(PainRating(started, "before", rng.randint(2, 5), session_id=sid))
        ratings.append(PainRating(started + timedelta(minutes=25), "after", rng.randint(1, 5),
                                  note="felt <b>fine</b>" if sid % 5 == 0 else "",
                                  session_id=sid))
    ratings.sort(key=lambda r: r.at)
    return HistoryData(tuple(ratings), tuple(sessions))


@pytest.fixture
def view(qtbot) -> HistoryView:
    widget = HistoryView()
    qtbot.addWidget(widget)
    return widget


def test_model_lists_sessions_newest_first_with_their_ratings(qtbot):
    data = history(30)
    model = SessionTableModel()
    model.set_sessions(data.sessions, session_pains(data.ratings))
    assert model.rowCount() == len(data.sessions)
    assert model.columnCount() == 7
    newest = max(data.sessions, key=lambda s: s.started_at)
    assert model.session_at(0) == newest
    row = [model.data(model.index(0, c)) for c in range(7)]
    assert row[0] == f"{newest.started_at:%a} {newest.started_at.day} {newest.started_at:%b %Y}" \
        f", {newest.started_at:%H:%M}"
    assert row[1:5] == ["Core strength", "Completed" if newest.outcome == "completed"
                        else "Stopped early", "12", str(newest.steps_skipped)]
    pain = model.pain_of(newest.id)
    assert row[5].startswith(str(pain.before)) and row[6].startswith(str(pain.after))
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Pain before"
    assert model.row_of(newest.id) == 0
    # A title cut short by its fixed-width column is whole in the tooltip.
    assert [model.data(model.index(0, c), Qt.ItemDataRole.ToolTipRole) for c in range(7)] == row


def test_adherence_and_pain_summary(view):
    data = history(60)
    view.set_history(data, ROUTINE, NOW)
    text = view.adherence_label.text()
    first = min(s.started_at for s in data.sessions).date()
    week = (NOW.date() - first).days // 7 + 1
    assert text.startswith(f"Core strength, week {week} of 52 \u00b7 This week: ")
    assert "of 3 sessions done" in text and "% of prescribed sessions" in text
    assert "in a row" in text
    assert view.pain_label.text().startswith("Pain: started at ")
    assert view.model.rowCount() == len(data.sessions)


def test_without_a_schedule_adherence_is_not_measured(view):
    view.set_history(history(20), None, NOW)
    assert "adherence is not measured: no routine with a schedule is chosen" in (
        view.adherence_label.text())
    view.set_history(HistoryData(), None, NOW)
    assert view.pain_label.text() == "No pain ratings yet."
    assert view.details.text() == "No sessions yet."


def test_calendar_marks_days_with_sessions(view):
    data = history(40)
    view.set_history(data, ROUTINE, NOW)
    days = {s.started_at.date(): s for s in data.sessions}
    session_day = max(d for d in days if d.month == NOW.month)
    empty_day = next(NOW.date() - timedelta(days=n) for n in range(40)
                     if NOW.date() - timedelta(days=n) not in days)
    marked = view.calendar.dateTextFormat(QDate(session_day.year, session_day.month,
                                                session_day.day))
    if days[session_day].outcome == "completed":
        assert marked.fontWeight() == QFont.Weight.Bold
    else:
        assert marked.fontItalic()
    plain = view.calendar.dateTextFormat(QDate(empty_day.year, empty_day.month, empty_day.day))
    assert plain.fontWeight() != QFont.Weight.Bold and not plain.fontItalic()


def test_choosing_a_day_selects_its_session_and_shows_details(view, qtbot):
    data = history(40)
    view.set_history(data, ROUTINE, NOW)
    noted = next(s for s in data.sessions if s.id % 5 == 0)
    day = noted.started_at.date()
    view.calendar.clicked.emit(QDate(day.year, day.month, day.day))
    current = view.table.currentIndex()
    assert view.model.session_at(current.row()) == noted
    assert view.details.textFormat() == Qt.TextFormat.PlainText
    assert "Note after: felt <b>fine</b>" in view.details.text()
    assert view.calendar.selectedDate() == QDate(day.year, day.month, day.day)


def test_selecting_a_row_moves_the_calendar(view):
    data = history(120)
    view.set_history(data, ROUTINE, NOW)
    oldest = min(data.sessions, key=lambda s: s.started_at)
    assert view.select_session(oldest.id)
    day = oldest.started_at.date()
    assert view.calendar.selectedDate() == QDate(day.year, day.month, day.day)
    assert view.details.text().startswith(f"{day:%a} {day.day} {day:%b %Y}")
    assert not view.select_session(99999)


def test_chart_period_follows_the_choice(view):
    data = history(400)
    view.set_history(data, ROUTINE, NOW)
    # By default the chart fits the ratings as the report's chart does: the latest half-year.
    assert view.period.currentText() == "Your ratings"
    assert view.chart.period == chart_period(data.ratings, NOW)
    start, end = view.chart.period
    assert end >= data.ratings[-1].at and CHART_MAX_DAYS - 1 <= (end - start).days <= CHART_MAX_DAYS
    view.period.setCurrentIndex(1)
    assert view.chart.period[1] == NOW
    assert (view.chart.period[1] - view.chart.period[0]).days == 28
    view.period.setCurrentIndex(len(CHART_PERIODS) - 1)
    assert view.chart.period[0] <= data.ratings[0].at
    assert "ratings from" in view.chart.accessibleDescription()


def test_three_weeks_of_ratings_fill_the_chart_by_default(view):
    data = history(21)
    view.set_history(data, ROUTINE, NOW)
    start, end = view.chart.period
    assert start <= data.ratings[0].at and end >= data.ratings[-1].at
    assert (end - start).days == CHART_MIN_DAYS  # not three months with two of them empty


def test_buttons_emit_their_requests(view, qtbot):
    with qtbot.waitSignal(view.back_requested, timeout=1000):
        view.back_button.click()
    with qtbot.waitSignal(view.report_requested, timeout=1000):
        view.report_button.click()


def test_ten_years_of_sessions_are_a_model_not_widgets(view):
    data = history(3650)
    view.set_history(data, ROUTINE, NOW)
    assert view.model.rowCount() == len(data.sessions) > 2000
    assert len(view.findChildren(type(view.details))) < 30
    assert not view.grab().isNull()


def test_every_outcome_has_words_and_uncounted_steps_show_a_dash(qtbot):
    start = NOW - timedelta(days=1)
    sessions = tuple(
        Session(i + 1, "Core strength", "1", "", start + timedelta(hours=i), None, outcome,
                *counts)
        for i, (outcome, counts) in enumerate([("partly_done", (5, 2)),
                                               ("interrupted", (None, None))]))
    model = SessionTableModel()
    model.set_sessions(sessions, {})
    rows = [[model.data(model.index(r, c)) for c in range(2, 5)] for r in range(2)]
    assert rows == [["Interrupted", "\u2013", "\u2013"], ["Partly done", "5", "2"]]
