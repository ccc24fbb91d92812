"""``history export``/``history import`` and ``report`` through the command line."""

from __future__ import annotations

import argparse
import json
import os
import stat
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player import paths
from player.app import main
from player.core import bundled, loader
from player.core import report as report_model
from player.core.history import PainRating, Session, SymptomAnswers, routine_file_hash
from player.history_cli import cmd_report
from player.settings import load_settings, save_settings
from player.store.db import StoreError
from player.store.history import HistoryStore

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)

DIARY = """\
timestamp,context,rating,note,session
2024-03-04T09:00:00+01:00,before,4,"stiff, after sitting",12
2024-03-04T09:40:00+01:00,after,3,,12
2024-03-05T08:15:00+01:00,checkin,3,<b>not bold</b>,
2024-03-06T09:00:00+01:00,before,5,,13
2024-03-06T09:30:00+01:00,after,6,"two
lines",13
"""

BAD_DIARY = """\
timestamp,context,rating,note,session
2024-03-04T09:00:00+01:00,before,4,,12
2024-03-04T09:40:00,after,11,,12

2024-03-05T08:15:00+01:00,walk,3,,
"""

ROUTINE = """\
format: 1
title: Strict routine
version: "2"
schedule:
  times_per_week: 2
  weeks: 4
pain_checks:
  thresholds:
    severe_count: 1
blocks:
  - name: Main
    steps:
      - exercise: plank
        hold: 30s
"""


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def report_ns(**kwargs: object) -> argparse.Namespace:
    values = {"json": True, "pdf": None, "routine": None, **kwargs}
    return argparse.Namespace(**values)


def test_export_import_round_trip(tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    diary = write(tmp_path / "diary.csv", DIARY)
    assert run(first, "history", "import", str(diary)) == 0
    assert capsys.readouterr().out == f"imported 5 ratings from {diary}\n"

    exported = tmp_path / "exported.csv"
    assert run(first, "history", "export", "--csv", str(exported)) == 0
    text = exported.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "timestamp,context,rating,note,session"
    assert '"stiff, after sitting"' in text and "<b>not bold</b>" in text

    assert run(second, "history", "import", str(exported)) == 0
    capsys.readouterr()
    assert run(second, "history", "export") == 0
    assert capsys.readouterr().out == text  # the same diary, byte for byte
    with HistoryStore.open(second) as store:
        notes = [r.note for r in store.ratings()]
    assert notes[-1] == "two\nlines"


def test_reimporting_your_own_export_adds_nothing(tmp_path, capsys):
    """The app keeps microseconds, the export whole seconds: the same instant all the same."""
    data = tmp_path / "d"
    summer = timezone(timedelta(hours=2))
    with HistoryStore.open(data) as store:
        store.add_rating(PainRating(datetime(2024, 7, 1, 9, 0, 0, 765432, tzinfo=summer),
                                    "checkin", 7, "after the long run"))
        store.add_rating(PainRating(datetime(2024, 7, 2, 9, 0, 0, 5, tzinfo=summer),
                                    "checkin", 3))
    exported = tmp_path / "mine.csv"
    assert run(data, "history", "export", "--csv", str(exported)) == 0
    capsys.readouterr()
    assert run(data, "history", "import", str(exported)) == 0
    assert capsys.readouterr().out == (
        f"imported 0 ratings from {exported} (2 already in your history)\n")
    with HistoryStore.open(data) as store:
        assert [r.rating for r in store.ratings()] == [7, 3]


def test_importing_twice_adds_nothing(tmp_path, capsys):
    diary = write(tmp_path / "diary.csv", DIARY)
    assert run(tmp_path / "d", "history", "import", str(diary)) == 0
    assert run(tmp_path / "d", "history", "import", str(diary)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"imported 0 ratings from {diary} (5 already in your history)")


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(tmp_path, capsys):
    data = tmp_path / "d"
    bad = write(tmp_path / "bad.csv", BAD_DIARY)
    assert run(data, "history", "import", str(bad)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[:2] == [  # (a time without an offset is local time: not a problem)
        f"{bad}:3: error: The rating must be a whole number from 0 to 10, not '11'.",
        f"{bad}:5: error: The context must be one of before, after, during, checkin, "
        "morning_after, not 'walk'.",
    ]
    assert lines[2] == f"routine-player: nothing was imported: 2 problems in {bad}"
    assert "Traceback" not in captured.err
    assert not (data / "history.sqlite3").exists()  # not even opened


def test_import_of_an_unreadable_file_is_one_line(tmp_path, capsys):
    assert run(tmp_path / "d", "history", "import", str(tmp_path / "missing.csv")) == 1
    err = capsys.readouterr().err
    assert err.startswith("routine-player: cannot read ") and err.count("\n") == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("timestamp,context,rating,note,session\n2024-03-04T09:00:00+01:00,"
                      "before,4,caf\u00e9,\n".encode("latin-1"))
    assert run(tmp_path / "d", "history", "import", str(latin)) == 1
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_export_without_a_history_prints_the_header_and_creates_nothing(tmp_path, capsys):
    data = tmp_path / "nothing-here"
    assert run(data, "history", "export") == 0
    assert capsys.readouterr().out == "timestamp,context,rating,note,session\n"
    assert not data.exists()


def test_export_to_a_folder_that_does_not_exist_is_one_line(tmp_path, capsys):
    assert run(tmp_path / "d", "history", "export", "--csv", str(tmp_path / "no" / "x.csv")) == 1
    no_history, failure = capsys.readouterr().err.splitlines()
    assert no_history.startswith("routine-player: there is no history yet in ")
    assert failure.startswith("routine-player: cannot write ")


def test_store_errors_are_one_clear_line(tmp_path, capsys, monkeypatch):
    def refuse(cls, data_dir, **kwargs):
        raise StoreError("Your history folder cannot be written to (read-only file system).")

    monkeypatch.setattr(HistoryStore, "open", classmethod(refuse))
    monkeypatch.setattr(HistoryStore, "open_read_only", classmethod(refuse))
    diary = write(tmp_path / "diary.csv", DIARY)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "history.sqlite3").write_bytes(b"")
    for args in (("history", "import", str(diary)), ("history", "export"), ("report",)):
        assert run(tmp_path / "d", *args) == 1
        err = capsys.readouterr().err
        assert err == ("routine-player: Your history folder cannot be written to "
                       "(read-only file system).\n")


def test_a_damaged_history_is_reported_and_left_for_the_app_to_put_aside(tmp_path, capsys):
    data = tmp_path / "d"
    data.mkdir()
    damaged = b"this is not a database" * 10
    (data / "history.sqlite3").write_bytes(damaged)
    for args in (("report",), ("history", "export")):
        assert run(data, *args) == 1
        err = capsys.readouterr().err
        assert err == (f"routine-player: Your history file {data / 'history.sqlite3'} is "
                       "damaged (file is not a database); nothing was changed. Open Routine "
                       "Player: it keeps the damaged file aside and starts a new history.\n")
    assert os.listdir(data) == ["history.sqlite3"]
    assert (data / "history.sqlite3").read_bytes() == damaged


def test_report_json_shape(tmp_path, capsys):
    data = tmp_path / "d"
    with HistoryStore.open(data) as store:
        for day in range(3):
            store.add_rating(PainRating(NOW - timedelta(days=day, hours=1), "checkin", 3))
        store.add_symptoms(SymptomAnswers(NOW - timedelta(hours=1), saddle_numbness=True,
                                          leg_pain_shooting=True))
    assert run(data, "report", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"advice", "adherence", "pain"}
    assert report["advice"]["level"] == "emergency"
    assert report["advice"]["reasons"] == [
        "You reported numbness or tingling around your genitals, buttocks or inner thighs.",
        "You reported pain spreading down one leg below the knee.",
    ]
    assert [d["code"] for d in report["advice"]["details"]] == [
        "symptom.saddle_numbness", "symptom.leg_pain_shooting"]
    assert report["advice"]["details"][0]["level"] == "emergency"
    assert report["advice"]["what_to_do"].startswith("Get emergency help now")
    assert "not a diagnosis" in report["advice"]["not_a_diagnosis"]
    assert report["adherence"] is None  # no routine played, none given
    assert report["pain"]["ratings"] == 3 and report["pain"]["baseline"] == 3.0
    assert report["routine"] is None


def test_report_lists_a_session_stopped_for_a_red_flag(tmp_path, capsys):
    data = tmp_path / "d"
    started = NOW - timedelta(hours=2)
    with HistoryStore.open(data) as store:
        sid = store.start_session(routine_title="Core basics", started_at=started)
        store.finish_session(sid, "stopped_red_flag", started + timedelta(minutes=3))
        store.add_symptoms(SymptomAnswers(started + timedelta(minutes=2), bladder_bowel=True))
    assert run(data, "report", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["red_flag_stops"] == [{
        "session": sid, "started": started.isoformat(timespec="seconds"),
        "ended": (started + timedelta(minutes=3)).isoformat(timespec="seconds"),
        "routine": "Core basics"}]
    assert run(data, "report") == 0
    text = capsys.readouterr().out
    assert report_model.RED_FLAG_STOPS_HEADING in text
    assert f"{started:%H:%M}  Core basics" in text


def test_report_plain_text(tmp_path, capsys):
    data = tmp_path / "d"
    with HistoryStore.open(data) as store:
        store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 4))
    assert run(data, "report") == 0
    out = capsys.readouterr().out
    assert "Current advice: No warning signs" in out
    assert "This is not a diagnosis" in out
    assert "Starting level (median of the first week's resting ratings): 4/10." in out


def test_report_with_a_routine_measures_adherence_and_uses_its_stricter_thresholds(
        tmp_path, capsys):
    data = tmp_path / "d"
    routine = write(tmp_path / "strict.yaml", textwrap.dedent(ROUTINE))
    with HistoryStore.open(data) as store:
        for day in (15, 13, 8, 6, 1):
            started = NOW - timedelta(days=day)
            sid = store.start_session(routine_title="Strict routine", started_at=started)
            store.finish_session(sid, "completed", started + timedelta(minutes=20))
        store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 7))
    # One severe rating: the app's default needs two, this routine's thresholds only one.
    assert cmd_report(data, report_ns(), now=NOW) == 0
    assert json.loads(capsys.readouterr().out)["advice"]["level"] == "none"
    assert cmd_report(data, report_ns(routine=str(routine)), now=NOW) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["advice"]["level"] == "see_professional"
    assert report["routine"]["title"] == "Strict routine"
    adherence = report["adherence"]
    assert adherence["schedule"]["times_per_week"] == 2
    assert adherence["schedule"]["start"] == "2024-03-05"  # the first session's day
    assert [w["done"] for w in adherence["weeks"]] == [2, 2, 1]
    assert adherence["percent"] == 100.0 and adherence["streak_weeks"] == 2


def test_report_with_an_unusable_routine_fails_clearly(tmp_path, capsys):
    bad = write(tmp_path / "bad.yaml", "format: 1\ntitle: x\n")
    assert cmd_report(tmp_path / "d", report_ns(routine=str(bad)), now=NOW) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1:1: error:" in err
    assert err.splitlines()[-1] == (
        f"routine-player: {bad} is not a usable routine; see the problems above")


def test_report_finds_the_routine_played_last_by_its_hash(tmp_path, capsys):
    data = tmp_path / "d"
    path = bundled.ROUTINES_DIR / "core-strength.yaml"
    with HistoryStore.open(data) as store:
        sid = store.start_session(routine_title="Core strength for runners",
                                  routine_file_hash=routine_file_hash(path.read_bytes()),
                                  started_at=NOW - timedelta(days=2))
        store.finish_session(sid, "completed", NOW - timedelta(days=2) + timedelta(minutes=30))
    assert cmd_report(data, report_ns(), now=NOW) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["routine"]["path"] == str(path)
    assert report["adherence"]["sessions_done"] == 1


def test_find_played_routine_falls_back_to_the_title(tmp_path):
    path = write(tmp_path / "strict.yaml", textwrap.dedent(ROUTINE))
    session = Session(1, "Strict routine", "2", "0" * 64, NOW, NOW, "completed")
    assert report_model.find_played_routine(session, [tmp_path / "nope.yaml", path]).title == (
        "Strict routine")
    other_version = Session(1, "Strict routine", "3", "", NOW, NOW, "completed")
    assert report_model.find_played_routine(other_version, [path]) is None


def test_find_played_routine_by_title_parses_the_files_whose_title_line_reads_so_first(
        tmp_path, monkeypatch):
    bundled_files = sorted(bundled.ROUTINES_DIR.glob("*.yaml"))
    strict = write(tmp_path / "strict.yaml", textwrap.dedent(ROUTINE))
    folded = write(tmp_path / "folded.yaml", textwrap.dedent(ROUTINE).replace(
        "title: Strict routine", "title: Strict\n  routine"))  # a title the line cannot read
    parsed: list[Path] = []
    real = loader.load_routine_bytes

    def counting(data, path, library=None):
        parsed.append(path)
        return real(data, path, library)

    monkeypatch.setattr(loader, "load_routine_bytes", counting)
    session = Session(1, "Strict routine", "2", "", NOW, NOW, "completed")
    found = report_model.find_played_routine(session, [*bundled_files, strict])
    assert found is not None and found.path == strict and parsed == [strict]
    parsed.clear()
    found = report_model.find_played_routine(session, [*bundled_files, folded])
    assert found is not None and found.path == folded  # still found, after parsing the rest
    assert parsed == [*bundled_files, folded]


@pytest.mark.parametrize(("points", "percent", "words"), [
    (-2.0, -40.0, "2 points better (-40 %)"),
    (1.0, None, "1 point worse"),
    (0.0, 0.0, "no change"),
])
def test_change_words(points, percent, words):
    assert report_model.change_words(points, percent) == words


@pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")
def test_the_exported_diary_is_0600_even_over_a_readable_file(umask, tmp_path, capsys):
    data = tmp_path / "d"
    assert run(data, "history", "import", str(write(tmp_path / "diary.csv", DIARY))) == 0
    exported = tmp_path / "exported.csv"
    assert run(data, "history", "export", "--csv", str(exported)) == 0
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    exported.chmod(0o644)
    assert run(data, "history", "export", "--csv", str(exported)) == 0
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_report_says_which_week_of_the_programme_and_counts_from_a_chosen_start(
        tmp_path, capsys):
    data = tmp_path / "d"
    routine = write(tmp_path / "strict.yaml", textwrap.dedent(ROUTINE))
    with HistoryStore.open(data) as store:
        for day in (15, 13, 8, 6, 1):  # the first on Tue 5 March: NOW is in week 3
            started = NOW - timedelta(days=day)
            sid = store.start_session(routine_title="Strict routine", started_at=started)
            store.finish_session(sid, "completed", started + timedelta(minutes=20))
    assert cmd_report(data, report_ns(routine=str(routine)), now=NOW) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["programme"] == {"start": "2024-03-05", "week": 3, "weeks": 4,
                                   "label": "week 3 of 4"}
    assert cmd_report(data, report_ns(json=False, routine=str(routine)), now=NOW) == 0
    assert "  Programme: week 3 of 4.\n" in capsys.readouterr().out

    # The physio restarted the programme on Wed 13 March: the earlier sessions are before it.
    settings = load_settings(paths.settings_file(data)).settings
    settings.programme_starts = {"Strict routine": "2024-03-13"}
    save_settings(paths.settings_file(data), settings)
    assert cmd_report(data, report_ns(routine=str(routine)), now=NOW) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["programme"]["label"] == "week 2 of 4"
    assert [w["done"] for w in report["adherence"]["weeks"]] == [2, 0]  # 14th, 19th; 20th-


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_find_played_routine_skips_what_is_not_a_file_without_blocking(tmp_path):
    import signal

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # an ordinary open for reading would wait for a writer for ever
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * (4 * 1024 * 1024))
    path = write(tmp_path / "strict.yaml", textwrap.dedent(ROUTINE))
    session = Session(1, "Strict routine", "2", "", NOW, NOW, "completed")
    signal.alarm(5)
    try:
        found = report_model.find_played_routine(session, [fifo, huge, path])
    finally:
        signal.alarm(0)
    assert found is not None and found.title == "Strict routine"


def test_report_escapes_text_from_the_routine_file(tmp_path, capsys):
    rlo = "\u202e"
    routine = write(tmp_path / "bidi.yaml", textwrap.dedent(ROUTINE).replace(
        "title: Strict routine", f'title: "Strict{rlo} 00:03"').replace(
        'version: "2"', f'version: "2{rlo}"'))
    assert cmd_report(tmp_path / "d", report_ns(json=False, routine=str(routine)), now=NOW) == 0
    out = capsys.readouterr().out
    assert rlo not in out
    assert "Routine: Strict\\u202e 00:03 (version 2\\u202e)" in out
    assert cmd_report(tmp_path / "d", report_ns(routine=str(routine)), now=NOW) == 0
    out = capsys.readouterr().out
    assert rlo not in out and "Strict\\u202e 00:03" in out
    assert json.loads(out)["routine"]["title"] == f"Strict{rlo} 00:03"  # the same JSON


def test_a_5000_digit_rating_is_a_located_error_not_an_internal_one(tmp_path, capsys):
    bad = write(tmp_path / "bad.csv", "timestamp,context,rating,note,session\n"
                "2024-03-04T09:00:00+01:00,before," + "9" * 5000 + ",,12\n")
    assert run(tmp_path / "d", "history", "import", str(bad)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{bad}:2: error: The rating must be a whole number from 0 to 10")
    assert len(err[0]) < 300
    assert err[1] == f"routine-player: nothing was imported: 1 problem in {bad}"


def test_a_diary_over_20_mib_is_refused_without_reading_it_all(tmp_path, capsys):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.write(b"timestamp,context,rating,note,session\n")
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MiB that take no room
    assert run(tmp_path / "d", "history", "import", str(big)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{big}:1: error: The file is 104,857,600 bytes; a pain diary may be at "
                      "most 20,971,520 bytes (20 MiB). Split it into smaller files and import "
                      "them one by one.")
    assert not (tmp_path / "d" / "history.sqlite3").exists()


def test_hostile_notes_survive_export_and_import_byte_for_byte(tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    notes = ["=cmd|' /C calc'!A0", "bare\rcarriage return", "\tTAB", "@SUM(1)", "-1", "'+x"]
    with HistoryStore.open(first) as store:
        for i, note in enumerate(notes):
            store.add_rating(PainRating(NOW - timedelta(hours=i), "checkin", 2, note))
    exported = tmp_path / "exported.csv"
    assert run(first, "history", "export", "--csv", str(exported)) == 0
    assert run(second, "history", "import", str(exported)) == 0
    capsys.readouterr()
    with HistoryStore.open(second) as store:
        assert sorted(r.note for r in store.ratings()) == sorted(notes)
    again = tmp_path / "again.csv"
    assert run(second, "history", "export", "--csv", str(again)) == 0
    assert again.read_bytes() == exported.read_bytes()


def test_import_errors_are_escaped_for_the_terminal(tmp_path, capsys):
    bad = write(tmp_path / "bad.csv", "timestamp,context,rating,note,session\n"
                "2024-03-04T09:00:00+01:00,\x1b[2Jbefore\u202e,4,,12\n")
    assert run(tmp_path / "d", "history", "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "not '\\x1b[2Jbefore\\u202e'" in err


def test_importing_the_apps_own_export_into_the_same_history_adds_nothing(tmp_path, capsys):
    data = tmp_path / "d"
    with HistoryStore.open(data) as store:  # as the window records them: to the microsecond
        store.add_rating(PainRating(NOW.replace(microsecond=654321), "checkin", 2, "=1+1"))
    exported = tmp_path / "exported.csv"
    assert run(data, "history", "export", "--csv", str(exported)) == 0
    assert run(data, "history", "import", str(exported)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"imported 0 ratings from {exported} (1 already in your history)")
