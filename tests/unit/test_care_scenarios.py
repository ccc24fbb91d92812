"""Scenario histories from issue 10, through ``history import`` and ``report --json``.

Each scenario is a pain diary as a person would keep it (CSV, local times with their offsets,
dated back from today), imported by the command line into an empty history; the report then
gives the v2 advice with its codes and the dates it rests on.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from player.app import main
from player.core.localtime import local_now

Row = tuple[int, int, str, int, str]  # days ago, hour, context, rating, session


def diary(rows: list[Row]) -> str:
    """The CSV of *rows*, each dated *days ago* at *hour* local time."""
    today = local_now().replace(minute=0, second=0, microsecond=0)
    lines = ["timestamp,context,rating,note,session"]
    for days_ago, hour, context, rating, session in rows:
        at = (today - timedelta(days=days_ago)).replace(hour=hour)
        lines.append(f"{at.isoformat()},{context},{rating},,{session}")
    return "\n".join(lines) + "\n"


def advice_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[Row]
              ) -> dict[str, object]:
    data, csv = tmp_path / "data", tmp_path / "diary.csv"
    csv.write_text(diary(rows), encoding="utf-8")
    assert main(["--data-dir", str(data), "history", "import", str(csv)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    advice = report["advice"]
    assert isinstance(advice, dict)
    return advice


def codes(advice: dict[str, object]) -> list[str]:
    details = advice["details"]
    assert isinstance(details, list)
    return [d["code"] for d in details]


def test_two_sessions_a_week_at_6_for_8_weeks_is_persisting(tmp_path, capsys) -> None:
    # The cadence drill's two sessions a week: version 1 never judged them.
    rows: list[Row] = []
    for week in range(8):
        for offset in (0, 3):
            days_ago = week * 7 + offset + 1
            sid = f"S{week}-{offset}"
            rows.append((days_ago, 8, "before", 6, sid))
            rows.append((days_ago, 9, "after", 6, sid))
    advice = advice_of(tmp_path, capsys, rows)
    assert advice["level"] == "see_professional"
    assert "persisting_long" in codes(advice)


def test_a_relapse_after_improving_is_getting_worse(tmp_path, capsys) -> None:
    rows: list[Row] = [(d, 8, "checkin", 7, "") for d in range(60, 40, -1)]
    rows += [(d, 8, "checkin", 1, "") for d in range(39, 7, -1)]
    rows += [(d, 8, "checkin", 5, "") for d in range(6, 0, -1)]  # up to yesterday
    advice = advice_of(tmp_path, capsys, rows)
    assert advice["level"] == "see_professional"
    assert codes(advice) == ["getting_worse"]
    [worse] = advice["details"]  # type: ignore[misc]
    assert worse["dates"]  # the days it rests on


def test_a_new_flare_after_months_at_0_is_a_new_bout_of_its_own_length(tmp_path, capsys) -> None:
    rows: list[Row] = [(d, 8, "checkin", 0, "") for d in range(200, 30, -3)]
    rows += [(d, 8, "checkin", 4, "") for d in range(15, 0, -1)]  # up to yesterday
    advice = advice_of(tmp_path, capsys, rows)
    assert "persisting" in codes(advice)
    words = " ".join(advice["reasons"])  # type: ignore[arg-type]
    assert "15 days into this bout of pain" in words
    assert "120 days" not in words and "200 days" not in words


@pytest.mark.parametrize(("morning", "flares"), [(3, False), (5, True)])
def test_sessions_are_judged_by_the_next_morning(tmp_path, capsys, morning: int,
                                                 flares: bool) -> None:
    # A rise after each session (3 -> 5): fine when it settles by the next morning
    # (Silbernagel 2007), a flare when it is still 2 points up.
    rows: list[Row] = []
    for n, days_ago in enumerate((10, 8, 6, 4, 2)):
        sid = f"S{n}"
        rows += [(days_ago, 18, "before", 3, sid), (days_ago, 19, "after", 5, sid),
                 (days_ago - 1, 7, "morning_after", morning, sid)]
    advice = advice_of(tmp_path, capsys, rows)
    assert ("sessions_flare" in codes(advice)) is flares
    if flares:
        flare = next(d for d in advice["details"] if d["code"] == "sessions_flare")  # type: ignore[attr-defined, union-attr]
        assert len(flare["dates"]) == 5


def test_a_morning_after_rating_naming_no_session_imports_nothing(tmp_path, capsys) -> None:
    data, csv = tmp_path / "data", tmp_path / "diary.csv"
    text = diary([(3, 18, "before", 3, "S1"), (2, 7, "morning_after", 4, "S1")])
    csv.write_text(text + text.splitlines()[-1].rsplit(",", 1)[0] + ",\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "history", "import", str(csv)]) != 0
    err = capsys.readouterr().err
    assert f"{csv}:4: error: A morning_after rating must name its session" in err
    assert "nothing was imported" in err
