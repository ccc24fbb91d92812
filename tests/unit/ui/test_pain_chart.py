"""The pain chart: the 7-day trend, painting any period, and no lost references to None."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from player.core.history import PainRating
from player.ui.widgets.pain_chart import (
    ChartColors,
    ChartData,
    ChartInk,
    PainChart,
    paint_pain_chart,
    resting_trend,
)

TZ = timezone(timedelta(hours=1))
START = datetime(2024, 1, 1, 9, 0, tzinfo=TZ)


def daily(values: list[int], context: str = "checkin") -> list[PainRating]:
    return [PainRating(START + timedelta(days=i), context, v) for i, v in enumerate(values)]


def test_trend_is_the_median_of_the_last_seven_days_from_two_ratings():
    ratings = daily([2, 4, 6, 8, 8, 8, 8, 8, 8]) + daily([10], "after")
    trend = resting_trend(sorted(ratings, key=lambda r: r.at))
    assert [level for _at, level in trend] == [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 8.0, 8.0]
    assert trend[0][0] == START + timedelta(days=1)  # fewer than 2 before: left out


def test_the_trend_of_a_period_is_the_whole_trend_cut_to_it():
    """Only the period and the week before it are read, and each point is the same."""
    values = [(i * 7) % 11 for i in range(120)]
    ratings = sorted(daily(values) + daily(values[::-1], "before") + daily(values, "after"),
                     key=lambda r: r.at)
    whole = resting_trend(ratings)
    for first, last in ((0, 119), (3, 10), (30, 31), (100, 140), (-20, 2)):
        start = START + timedelta(days=first, hours=-1)
        end = START + timedelta(days=last, hours=1)
        cut = [(at, level) for at, level in whole if start <= at <= end]
        assert resting_trend(ratings, start, end) == cut
        assert cut or first > 119 or last < 0


def test_chart_draws_the_trend_of_the_period_it_shows(qtbot):
    chart = PainChart()
    qtbot.addWidget(chart)
    ratings = daily([(i * 3) % 10 for i in range(60)])
    chart.set_ratings(ratings)
    start, end = START + timedelta(days=20), START + timedelta(days=40)
    chart.set_period(start, end)
    assert chart.chart_data().trend == [p for p in resting_trend(ratings) if start <= p[0] <= end]


def test_chart_reports_its_baseline_and_describes_the_period(qtbot):
    chart = PainChart()
    qtbot.addWidget(chart)
    chart.set_ratings(daily([3, 4, 5, 5, 6, 7, 7, 7]))
    assert chart.baseline == 5.0
    chart.set_period(START - timedelta(days=1), START + timedelta(days=10))
    assert chart.accessibleDescription() == (
        "8 ratings from 01 Jan 2024 to 08 Jan 2024, lowest 3, highest 7, latest 7 of 10. "
        "Starting level 5 of 10.")
    chart.set_period(START + timedelta(days=30), START + timedelta(days=40))
    assert chart.accessibleDescription().startswith("No pain ratings in this period.")


def test_painting_draws_markers_in_their_colours():
    image = QImage(600, 300, QImage.Format.Format_ARGB32)
    colors = ChartColors.for_print()
    ratings = daily([5] * 10, "before")
    painter = QPainter(image)
    paint_pain_chart(painter, QRectF(0, 0, 600, 300),
                     ChartData(ratings, START - timedelta(days=1), START + timedelta(days=11),
                               5.0), colors)
    painter.end()
    wanted = colors.series["before"]
    found = {QColor(image.pixel(x, y)).rgb() for x in range(0, 600, 2) for y in range(0, 300, 2)}
    assert wanted.rgb() in found


def test_repainting_keeps_none_alive(qtbot):
    """Guards the PySide6 pin: 6.12.0 drops a reference to None per void call and aborts."""
    chart = PainChart()
    qtbot.addWidget(chart)
    chart.resize(500, 240)
    chart.set_ratings(daily(list(range(11)) * 20))
    chart.set_period(START, START + timedelta(days=220))
    before = sys.getrefcount(None)
    for _ in range(60):
        chart.grab()
    assert sys.getrefcount(None) >= before - 50


def crossings(ink):
    """The (line, label) pairs where a grid, axis or baseline segment crosses a label."""
    found = []
    for line in ink.lines:
        box = QRectF(line.p1(), line.p2()).normalized()
        for text, rect in ink.texts:
            if (box.left() < rect.right() and rect.left() < box.right()
                    and box.top() <= rect.bottom() and rect.top() <= box.bottom()
                    and (box.width() > 0 or rect.left() < box.left() < rect.right())
                    and (box.height() > 0 or rect.top() < box.top() < rect.bottom())):
                found.append((line, text))
    return found


@pytest.mark.parametrize("base", [0.0, 3.0, 3.5, 5.25, 8.5, 10.0])
@pytest.mark.parametrize("size", [(320, 180), (640, 260), (1400, 520)])
def test_no_grid_line_crosses_a_label(base, size):
    image = QImage(*size, QImage.Format.Format_ARGB32)
    ratings = daily([3, 5, 7, 4, 6] * 8)
    ink = ChartInk()
    painter = QPainter(image)
    paint_pain_chart(painter, QRectF(0, 0, *size),
                     ChartData(ratings, START - timedelta(days=1), START + timedelta(days=41),
                               base), ChartColors.for_print(), ink=ink)
    painter.end()
    texts = [text for text, _ in ink.texts]
    assert "starting level " + f"{base:g}" in texts
    assert ("2 points worse" in texts) == (base < 10)
    assert ink.lines and not crossings(ink)
    frame = QRectF(0, 0, *size)
    assert all(frame.contains(rect) for _, rect in ink.texts)


def test_an_empty_period_says_so_without_a_line_through_the_words():
    image = QImage(640, 260, QImage.Format.Format_ARGB32)
    ink = ChartInk()
    painter = QPainter(image)
    paint_pain_chart(painter, QRectF(0, 0, 640, 260),
                     ChartData([], START, START + timedelta(days=28), None),
                     ChartColors.for_print(), ink=ink)
    painter.end()
    assert "No pain ratings in this period" in [text for text, _ in ink.texts]
    assert not crossings(ink)
