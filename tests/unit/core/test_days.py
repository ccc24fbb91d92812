"""Calendar days in the device's zone, either side of a daylight-saving change."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from player.core.days import elapsed, local_date, local_dates, local_wall, wall_time_on, zone_of

LONDON = ZoneInfo("Europe/London")
GMT = timezone(timedelta(0))
BST = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("at", "zone", "day"),
    [
        # Clocks go forward at 01:00 GMT on Sunday 31 March 2024: 02:30 BST is that Sunday.
        (datetime(2024, 3, 31, 2, 30, tzinfo=BST), LONDON, date(2024, 3, 31)),
        (datetime(2024, 3, 30, 23, 30, tzinfo=GMT), LONDON, date(2024, 3, 30)),
        # 23:30 GMT in January is 00:30 of the next day at summer's offset: with a fixed offset
        # for now (summer), a winter time keeps the wall clock it was recorded by.
        (datetime(2024, 1, 10, 23, 30, tzinfo=GMT), BST, date(2024, 1, 10)),
        (datetime(2024, 1, 10, 23, 30, tzinfo=GMT), LONDON, date(2024, 1, 10)),
        (datetime(2024, 7, 1, 0, 30, tzinfo=BST), GMT, date(2024, 7, 1)),
        # Clocks go back at 02:00 BST on 27 October: 01:30 GMT after it is still that Sunday.
        (datetime(2024, 10, 27, 1, 30, tzinfo=GMT), LONDON, date(2024, 10, 27)),
        (datetime(2024, 10, 26, 23, 59, tzinfo=BST), LONDON, date(2024, 10, 26)),
    ],
)
def test_local_date(at: datetime, zone: timezone | ZoneInfo, day: date) -> None:
    assert local_date(at, zone) == day


@pytest.mark.parametrize("zone", [LONDON, BST, GMT])
def test_local_dates_are_each_times_local_date(zone: timezone | ZoneInfo) -> None:
    times = [datetime(2024, 3, 31, 2, 30, tzinfo=BST), datetime(2024, 1, 10, 23, 30, tzinfo=GMT),
             datetime(2024, 10, 27, 1, 30, tzinfo=GMT), datetime(2024, 7, 1, 0, 30, tzinfo=BST),
             datetime(2024, 10, 27, 1, 10, fold=1, tzinfo=LONDON)]
    assert local_dates(times, zone) == [local_date(at, zone) for at in times]


def test_local_wall_compares_times_of_day_across_the_change() -> None:
    # 04:00 on the Sunday the clocks go forward is 04:00 BST.
    four = wall_time_on(date(2024, 3, 31), 4)
    assert local_wall(datetime(2024, 3, 31, 3, 0, tzinfo=GMT), LONDON) == four  # 04:00 BST
    assert local_wall(datetime(2024, 3, 31, 3, 59, tzinfo=BST), LONDON) < four
    assert local_wall(datetime(2024, 3, 31, 4, 0, tzinfo=BST), GMT) == four


def test_zone_of_needs_an_aware_now() -> None:
    assert zone_of(datetime(2024, 1, 1, tzinfo=LONDON)) is LONDON
    with pytest.raises(ValueError, match="time zone"):
        zone_of(datetime(2024, 1, 1))


def test_elapsed_adds_real_time_across_the_change() -> None:
    # 20:00 GMT on Saturday 30 March; 24 hours later is 21:00 BST on the Sunday (wall-clock
    # arithmetic, at + timedelta, would say 20:00 BST: an hour early).
    at = datetime(2024, 3, 30, 20, 0, tzinfo=LONDON)
    later = elapsed(at, 24 * 3600)
    assert later.astimezone(LONDON).replace(tzinfo=None) == datetime(2024, 3, 31, 21, 0)
    assert (at + timedelta(hours=24)).replace(tzinfo=None) == datetime(2024, 3, 31, 20, 0)
