"""Local calendar days across both daylight-saving changes (Europe/London, 2024)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from player.core import localtime
from player.core.care import SEE_PROFESSIONAL_WHAT_TO_DO, Advice, banner_visible
from player.core.history import BannerEvent

LONDON = ZoneInfo("Europe/London")
GMT, BST = timezone(timedelta(0)), timezone(timedelta(hours=1))
ADVICE = Advice("see_professional", ("r",), SEE_PROFESSIONAL_WHAT_TO_DO)


def dismissed(at: datetime) -> BannerEvent:
    # As the store gives it back: with the fixed offset it was written with.
    return BannerEvent(at, "see_professional", ("r",), "dismissed")


@pytest.mark.parametrize(("dismissed_at", "now", "hidden"), [
    # Autumn, 27 Oct 2024 (BST -> GMT at 02:00): dismissed on Sunday at 00:30 BST, which is
    # Saturday 23:30 in GMT's fixed offset; still hidden on Sunday morning in GMT.
    (datetime(2024, 10, 27, 0, 30, tzinfo=BST), datetime(2024, 10, 27, 10, 0), True),
    (datetime(2024, 10, 27, 0, 30, tzinfo=BST), datetime(2024, 10, 28, 0, 5), False),
    (datetime(2024, 10, 26, 23, 30, tzinfo=BST), datetime(2024, 10, 27, 10, 0), False),
    # Spring, 31 Mar 2024 (GMT -> BST at 01:00): dismissed on Saturday at 23:30 GMT, which is
    # Sunday 00:30 in BST's fixed offset; shown again on Sunday.
    (datetime(2024, 3, 30, 23, 30, tzinfo=GMT), datetime(2024, 3, 31, 10, 0), False),
    (datetime(2024, 3, 31, 0, 30, tzinfo=GMT), datetime(2024, 3, 31, 23, 50), True),
    (datetime(2024, 3, 31, 0, 30, tzinfo=GMT), datetime(2024, 4, 1, 0, 5), False),
])
def test_hidden_for_today_is_the_local_calendar_day_across_daylight_saving(
        dismissed_at: datetime, now: datetime, hidden: bool) -> None:
    assert banner_visible(ADVICE, [dismissed(dismissed_at)], now.replace(tzinfo=LONDON)) \
        is not hidden


def test_local_now_carries_the_zone_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    localtime.local_zone.cache_clear()
    try:
        now = localtime.local_now()
        assert isinstance(now.tzinfo, ZoneInfo) and now.tzinfo.key == "Europe/London"
    finally:
        localtime.local_zone.cache_clear()


def test_an_unknown_tz_falls_back_to_the_system_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Nowhere/Atlantis")
    localtime.local_zone.cache_clear()
    try:
        assert localtime.local_now().utcoffset() is not None
    finally:
        localtime.local_zone.cache_clear()


@pytest.mark.parametrize(("now", "hours"), [
    (datetime(2024, 3, 30, 12, 0), 12),  # to midnight before the 23-hour day
    (datetime(2024, 3, 31, 0, 0), 23),   # the spring day is 23 hours long
    (datetime(2024, 10, 27, 0, 0), 25),  # the autumn day is 25 hours long
])
def test_the_next_midnight_is_real_hours_away(now: datetime, hours: int) -> None:
    start = now.replace(tzinfo=LONDON)
    midnight = localtime.next_local_midnight(start)
    assert midnight.replace(tzinfo=None) == datetime.combine(now.date() + timedelta(days=1),
                                                             datetime.min.time())
    assert localtime.seconds_between(start, midnight) == hours * 3600

