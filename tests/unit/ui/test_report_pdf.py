"""The one-page PDF report: a real PDF, one page, with what a physiotherapist needs to read."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from player.app import main
from player.core.care import NOT_A_DIAGNOSIS
from player.core.history import BannerEvent, HistoryData, PainRating, Session, SymptomAnswers
from player.core.report import build_report
from player.core.routine import Block, Routine, Schedule
from player.store.history import HistoryStore
from player.ui.report_pdf import write_report_pdf

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)
ROUTINE = Routine("Core <b>strength</b>", (Block("Main", ()),), version="1.2",
                  schedule=Schedule(times_per_week=3, weeks=6))
REASON = "You reported pain shooting down a leg."


def sample_history() -> HistoryData:
    sessions, ratings = [], []
    for day in range(21):
        started = NOW - timedelta(days=21 - day)
        if day % 2:
            sid = len(sessions) + 1
            sessions.append(Session(sid, ROUTINE.title, "1.2", "", started,
                                    started + timedelta(minutes=20), "completed", 10, 1))
            ratings.append(PainRating(started, "before", 4, session_id=sid))
            ratings.append(PainRating(started + timedelta(minutes=20), "after", 3,
                                      session_id=sid))
        ratings.append(PainRating(started + timedelta(hours=6), "checkin", 3))
    events = (BannerEvent(NOW - timedelta(days=2), "see_professional", (REASON,), "shown"),
              BannerEvent(NOW - timedelta(days=2, hours=-1), "see_professional", (REASON,),
                          "dismissed"))
    return HistoryData(tuple(ratings), tuple(sessions),
                       SymptomAnswers(NOW - timedelta(days=2), leg_pain_shooting=True), events)


def pdf_text(path: Path) -> str | None:
    """The PDF's text (ligatures undone), or None without pdftotext."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return unicodedata.normalize("NFKC", out)


def check_pdf(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1  # one page
    return data


def test_report_pdf_is_written_with_what_the_physio_needs(qapp, tmp_path):
    path = tmp_path / "report.pdf"
    write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path)
    check_pdf(path)
    text = pdf_text(path)
    if text is None:
        pytest.skip("pdftotext is not installed; the PDF itself was checked")
    flat = " ".join(text.split())
    assert "Exercise and pain report" in flat
    assert "Patient: ____" in flat
    assert "Routine: Core <b>strength</b> (version 1.2)" in flat
    assert "Sessions done against those prescribed" in flat
    assert "3 times a week for 6 weeks" in flat
    assert "Before a session" in flat and "Starting level" in flat  # the chart's legend
    assert "Current advice: See a professional soon" in flat
    assert REASON in flat
    assert " ".join(NOT_A_DIAGNOSIS.split()) in flat
    assert "dismissed" in flat and "Generated Wed 20 Mar 2024" in flat


def test_a_known_name_replaces_the_blank_line_and_an_empty_history_still_makes_a_page(
        qapp, tmp_path):
    path = tmp_path / "empty.pdf"
    write_report_pdf(build_report(HistoryData(), None, NOW), path, patient="Sam Runner")
    check_pdf(path)
    text = pdf_text(path)
    if text is None:
        pytest.skip("pdftotext is not installed")
    flat = " ".join(text.split())
    assert "Patient: Sam Runner" in flat and "____" not in flat
    assert "No pain ratings yet." in flat
    assert "The care banner has not been shown." in flat


def test_an_unwritable_path_raises_oserror(qapp, tmp_path):
    with pytest.raises(OSError):
        write_report_pdf(build_report(HistoryData(), None, NOW), tmp_path / "no" / "r.pdf")


def test_report_pdf_from_the_command_line(qapp, tmp_path, capsys):
    data = tmp_path / "d"
    with HistoryStore.open(data) as store:
        store.add_rating(PainRating(NOW - timedelta(days=1), "checkin", 4, note="<i>x</i>"))
    path = tmp_path / "cli.pdf"
    assert main(["--data-dir", str(data), "report", "--pdf", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"wrote {path}\n"
    assert "Current advice" in captured.out
    check_pdf(path)


@pytest.mark.skipif(os.name == "nt", reason="file modes mean nothing on Windows")
def test_the_report_is_0600_even_over_a_readable_file(qapp, umask, tmp_path):
    path = tmp_path / "report.pdf"
    write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    check_pdf(path)
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left
