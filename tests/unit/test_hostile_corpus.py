"""The hostile-file corpus: every file ends in its expected refusal, fast, located and inert.

The files are in ``tests/fixtures/hostile/`` (written by its ``make_hostile.py``). For each
routine, ``validate`` must give the expected error at the expected line (or find the file valid)
as bounded work (a count of calls, :mod:`tests.work`), print nothing a terminal would obey, and
never an internal error. For each diary, ``history import`` must refuse it at the expected line
and import nothing (or import it whole). No test here times anything: ``bench/bench_hostile.py``
measures the time and memory of the same files (issue 11: 5 s and 1 GiB each).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from player.app import main
from player.cli import cmd_timeline, cmd_validate
from player.core.diary_csv import import_csv
from player.core.loader import load_library
from player.store.history import HistoryStore
from tests.pictures import within
from tests.work import counted

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
ROUTINES = HOSTILE / "routines"
DIARIES = HOSTILE / "diaries"
LIBRARY = load_library()
NOW = datetime(2026, 12, 1, tzinfo=UTC)

DIGITS = "numbers in a routine file have at most 20 digits"
INVISIBLE = "must not be empty: it has only invisible characters"
CONTROL = "contains a control character"


@dataclass(frozen=True)
class Expected:
    """``line`` and words of the refusal (the first problem at that line has them), or valid
    (``line`` None); ``severity`` "warning" for a file that is valid with that warning."""

    name: str
    line: int | None
    words: str = ""
    severity: str = "error"


ROUTINE_CASES = [
    # expansion bombs
    Expected("bomb-alias-steps", 6, "this routine would play 3,980,001 steps, more than the "
                                    "5,000 one session may have"),
    Expected("bomb-billion-laughs", 6, "aliases expand to more than 200,000 values"),
    Expected("bomb-sets-and-sides", 35, "would play 39,801 steps"),
    Expected("bomb-progression-week-40", 31, "would play 7,961 steps in week 40"),
    Expected("bomb-duration", 7, "would take 12:00:05, longer than the 8 hours"),
    Expected("bomb-alias-duration", 5, "would take 1600:00:05"),
    # huge numbers in each base
    Expected("int-decimal", 7, f"this number is 4,001 digits long; {DIGITS}"),
    Expected("int-negative", 7, "5,000 digits long"),
    Expected("int-hex", 7, "5,000 digits long"),
    Expected("int-octal", 7, "5,001 digits long"),
    Expected("int-binary", 7, "5,000 digits long"),
    Expected("int-base-60", 7, "5,001 digits long"),
    Expected("int-underscores", 7, "6,001 digits long"),
    Expected("int-tagged", 7, "5,000 digits long"),
    Expected("int-as-key", 3, "5,000 digits long"),
    Expected("int-sets", 8, "31 digits long"),
    Expected("int-format", 1, "4,500 digits long"),
    # explicit tags on values their constructor cannot read (KeyError, AttributeError inside)
    Expected("tag-bool-not-a-bool", 8, "yes please is not a valid yes/no value (write true or false)"),
    Expected("tag-timestamp-not-a-date", 3, "soon is not a valid date (write it YYYY-MM-DD, a day that exists)"),
    # deep nesting
    Expected("deep-flow-lists", 1, "nested more than 64 levels deep"),
    Expected("deep-flow-maps", 1, "nested more than 64 levels deep"),
    Expected("deep-block", 65, "nested more than 64 levels deep"),
    # huge maps and lists
    Expected("huge-own-exercises", 4, "exercises: has 12,000 exercises; at most 500"),
    Expected("huge-steps", 6, "block 'Main', steps: has 5,000 items; at most 500"),
    Expected("huge-blocks", 4, "blocks: has 5,000 items; at most 100"),
    Expected("huge-instructions", 7, "instructions: has 10,000 lines; at most 30"),
    Expected("huge-progression", 6, "progression: has 898 weeks; at most 52"),
    Expected("huge-unknown-fields", 200, "19,801 more problems are not listed"),
    # invisible titles and names
    Expected("invisible-title-zero-width", 2, f"title: {INVISIBLE}"),
    Expected("invisible-title-fillers", 2, f"title: {INVISIBLE}"),
    Expected("invisible-exercise-name", 4, f"exercise `mine`, name: {INVISIBLE}"),
    Expected("invisible-block-name", 4, f"block 1, name: {INVISIBLE}"),
    # bidi: allowed in text, escaped in what the terminal shows
    Expected("bidi-override-name", None),
    Expected("bidi-isolate-escape", None),
    # control characters
    Expected("control-esc-title", 2, f"title: {CONTROL} (escape)"),
    Expected("control-osc8-name", 4, f"exercise `mine`, name: {CONTROL} (escape)"),
    Expected("control-cr-note", 6, f"note: {CONTROL} (carriage return)"),
    Expected("control-newline-block", 4, "block 'Main Total: 0:00', name: must be one line"),
    Expected("control-c1-csi", 2, f"title: {CONTROL} (U+009B)"),
    # long keys and values
    Expected("long-key", 3, "… (500,000 characters)` in routine"),
    Expected("long-exercise-id", 6, "exercise: is 100,000 characters long; at most 64"),
    Expected("long-alias", 1, "…"),
    Expected("long-media-name", 4, "cannot be looked up (File name too long)", "warning"),
    # quadratic unknown ids
    Expected("quadratic-unknown-ids", 4, "exercises: has 12,000 exercises; at most 500"),
    Expected("quadratic-similar-ids", 507, "block 'M', steps: has 20,000 items; at most 500"),
]

DIARY_CASES = [
    Expected("csv-formula-notes", None),
    Expected("csv-bare-cr-note", None),
    Expected("diary-rating-5000-digits", 3, "The rating must be a whole number from 0 to 10"),
    Expected("diary-session-5000-digits", 2, "session label may be at most 100 characters"),
    Expected("diary-year-0001", 3, "is before the year 1900"),
    Expected("diary-year-1899", 2, "is before the year 1900"),
    Expected("diary-in-the-future", 2, "is later than now"),
    Expected("diary-control-characters", 2, "The context must be one of"),
    Expected("diary-many-bad-lines", 202, "800 more problems are not listed"),
]


def _load_maker():
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: A file that blocks (a pipe nobody writes to) would hang the test for ever: past this it fails.
#: This guards against a hang; it is not a figure (the figures are in bench/bench_hostile.py).
HANG_GUARD_SECONDS = 120


def assert_inert(text: str) -> None:
    """Nothing a terminal obeys: no control character but LF, no bidi control, no separator."""
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
           or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"]
    assert not bad, sorted(set(bad))


def test_the_corpus_is_what_make_hostile_writes(tmp_path):
    maker = _load_maker()
    written = maker.write_all(tmp_path / "routines", tmp_path / "diaries")
    assert len(written) >= 40
    for path in written:
        committed = HOSTILE / path.parent.name / path.name
        assert committed.is_file(), f"{committed} is missing: run make_hostile.py"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale"
    names = {p.stem for p in written}
    assert names == {c.name for c in ROUTINE_CASES + DIARY_CASES}, "every file has a case"


@pytest.mark.parametrize("case", ROUTINE_CASES, ids=[c.name for c in ROUTINE_CASES])
def test_hostile_routine(case: Expected, capsys):
    path = ROUTINES / f"{case.name}.yaml"
    out = io.StringIO()
    code, _calls = counted(lambda: cmd_validate([str(path)], out))
    text = out.getvalue()
    assert_inert(text)
    lines = text.splitlines()
    assert all(line.startswith(f"{path}:") and len(line) < 1000 for line in lines), lines[:3]
    if case.line is None:
        assert code == 0, lines
        assert not [line for line in lines if ": error: " in line]
        shown = io.StringIO()
        assert counted(lambda: cmd_timeline(str(path), False, out=shown, library=LIBRARY))[0] == 0
        assert_inert(shown.getvalue())
        return
    assert code == (1 if case.severity == "error" else 0)
    at_line = [line for line in lines if line.startswith(f"{path}:{case.line}:")]
    assert at_line, lines[:5]
    assert f": {case.severity}: " in at_line[0] and case.words in at_line[0], at_line[0]
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.parametrize("case", DIARY_CASES, ids=[c.name for c in DIARY_CASES])
def test_hostile_diary(case: Expected, tmp_path, capsys):
    path = DIARIES / f"{case.name}.csv"
    result, _calls = counted(lambda: import_csv(path.read_text(encoding="utf-8"), now=NOW))
    data = tmp_path / "d"
    code = main(["--data-dir", str(data), "history", "import", str(path)])
    captured = capsys.readouterr()
    assert_inert(captured.err)
    if case.line is None:
        assert result.ok and result.ratings
        assert code == 0
        exported = tmp_path / "out.csv"
        assert main(["--data-dir", str(data), "history", "export", "--csv", str(exported)]) == 0
        again = tmp_path / "again"
        assert main(["--data-dir", str(again), "history", "import", str(exported)]) == 0
        with HistoryStore.open(data) as first, HistoryStore.open(again) as second:
            assert sorted(r.note for r in first.ratings()) == sorted(
                r.note for r in second.ratings())
        rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8"), newline="")))
        for row in rows[1:]:
            assert len(row) == 5 and not row[3].startswith(("=", "+", "-", "@", "\t", "\r")), row
        return
    assert not result.ok and result.ratings == ()
    assert any(p.line == case.line and case.words in p.message for p in result.problems)
    assert code == 1  # refused, never an internal error (3)
    assert captured.err.splitlines()[-1].startswith("routine-player: nothing was imported")
    assert not (data / "history.sqlite3").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_oversized_and_special_files_are_refused_without_reading_them(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024 * 1024 * 1024)  # sparse: 2 GiB that take no room
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    out = io.StringIO()
    code, calls = within(HANG_GUARD_SECONDS, lambda: counted(
        lambda: cmd_validate([str(big), str(fifo)], out)))
    assert code == 1 and calls < 100_000  # neither file is read: a 2 GiB read would be millions
    assert out.getvalue().splitlines() == [
        f"{big}:1:1: error: file is 2,147,483,648 bytes; routine files are limited to "
        "1,048,576 bytes (1 MiB)",
        f"{fifo}:1:1: error: cannot read file: not a regular file (a folder, a device or a "
        "pipe); a routine is a plain text file",
    ]
