"""The PDF report: a summary page, then every rating and every session, paginated, with
nothing drawn over anything else at any length."""

from __future__ import annotations

import dataclasses
import html
import os
import random
import re
import shutil
import stat
import subprocess
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QRectF
from PySide6.QtGui import QPageSize

from player.app import main
from player.core.care import NOT_A_DIAGNOSIS, SYMPTOM_QUESTIONS, Advice
from player.core.history import BannerEvent, HistoryData, PainRating, Session, SymptomAnswers
from player.core.report import build_report
from player.core.routine import Block, Exercise, ExerciseStep, Routine, Schedule
from player.store.history import HistoryStore
from player.ui import report_pdf
from player.ui.report_pdf import (
    RenderedReport,
    page_size_for,
    render_report_pdf,
    write_report_pdf,
)

TZ = timezone(timedelta(hours=1))
NOW = datetime(2024, 3, 20, 10, 0, tzinfo=TZ)
A4 = QPageSize(QPageSize.PageSizeId.A4)
LETTER = QPageSize(QPageSize.PageSizeId.Letter)
ROUTINE = Routine("Core <b>strength</b>", (Block("Main", ()),), version="1.2",
                  schedule=Schedule(times_per_week=3, weeks=6))
REASON = "You reported pain shooting down a leg."
EXERCISES = (Exercise("bird-dog", "Bird dog"), Exercise("side-plank", "Side plank"),
             Exercise("glute-bridge", "Glute bridge"), Exercise("cat-cow", "Cat-cow"))
PROGRAMME = Routine("Core strength", (Block("Main", tuple(ExerciseStep(e, reps=8)
                                                         for e in EXERCISES)),),
                    version="1.2", schedule=Schedule(times_per_week=3, weeks=6))
NOTE = ("Stiff after sitting at work all day; it eased after the first set but came back on "
        "the drive home, a dull ache low on the right side, no pins and needles. ")
SECTIONS = ("Exercise and pain report", "Advice now", report_pdf.ADHERENCE_HEADING,
            "Pain trend", report_pdf.EXERCISES_HEADING, report_pdf.SYMPTOMS_HEADING,
            "Every pain rating", "Sessions (", "Care banner:")


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


def typical_history() -> HistoryData:
    """Four weeks of a six-week programme: check-ins, sessions, ratings during exercises."""
    rnd = random.Random(4)
    sessions, ratings = [], []
    start = NOW - timedelta(days=25)
    for day in range(25):
        at = start + timedelta(days=day, hours=8)
        ratings.append(PainRating(at - timedelta(hours=1), "checkin", rnd.choice((3, 4, 4, 5)),
                                  note="woke up stiff" if day % 5 == 0 else "",
                                  body_area="lower back" if day % 3 == 0 else ""))
        if day % 2:
            continue
        sid = len(sessions) + 1
        sessions.append(Session(sid, PROGRAMME.title, "1.2", "", at, at + timedelta(minutes=25),
                                "completed" if day % 6 else "partly_done", 10, 1,
                                week=day // 7 + 1, planned_exercise_seconds=900,
                                done_exercise_seconds=900 if day % 6 else 270))
        ratings.append(PainRating(at, "before", rnd.choice((3, 4, 5)), session_id=sid))
        for i, exercise in enumerate(EXERCISES):
            if (day + i) % 3 == 0:
                ratings.append(PainRating(at + timedelta(minutes=5 + 4 * i), "during",
                                          rnd.choice((2, 3, 5, 6)), session_id=sid,
                                          exercise_id=exercise.id, body_area="lower back",
                                          note=NOTE if i == 1 and day % 4 == 0 else ""))
        ratings.append(PainRating(at + timedelta(minutes=25), "after", rnd.choice((2, 3, 4)),
                                  session_id=sid))
    events = (BannerEvent(NOW - timedelta(days=3), "see_professional", (REASON,), "shown"),
              BannerEvent(NOW - timedelta(days=3, hours=-1), "see_professional", (REASON,),
                          "dismissed"))
    return HistoryData(tuple(ratings), tuple(sessions),
                       SymptomAnswers(NOW - timedelta(days=3), leg_pain_shooting=True), events)


def worst_history() -> HistoryData:
    """Every red flag, 40 banner events, 3,000 ratings with long notes, 500 sessions."""
    rnd = random.Random(7)
    start = NOW - timedelta(days=500)
    sessions = [
        Session(n + 1, PROGRAMME.title + " with a long name that wraps" * (n % 3 == 0), "1.2",
                "", start + timedelta(days=n, hours=7), start + timedelta(days=n, hours=8),
                ("completed", "partly_done", "stopped", "interrupted")[n % 4], 9, 2,
                week=n // 7 % 6 + 1, planned_exercise_seconds=None if n % 9 == 0 else 900,
                done_exercise_seconds=rnd.uniform(0, 900))
        for n in range(500)]
    ratings = []
    for k in range(3000):
        context = ("before", "after", "during", "checkin")[k % 4]
        note = NOTE * (1 + k % 4) if k % 2 else ""
        if k % 97 == 0:
            note = "https://example.org/" + "x" * 400  # a word longer than its column
        if k == 1501:
            note = NOTE * 40  # a note longer than a page
        ratings.append(PainRating(
            start + timedelta(hours=4 * k), context, rnd.randint(0, 10), note=note,
            body_area="lower back, left buttock and thigh" if k % 5 == 0 else "",
            session_id=None if context == "checkin" else k // 6 + 1,
            exercise_id=f"exercise-{k % 30}" if context == "during" else ""))
    reasons = ("You reported numbness or tingling around your genitals, buttocks or inner "
               "thighs.", "You rated your pain 8/10 or higher 3 times in the last 7 days.",
               "Your resting pain is 3 points above your starting level.")
    events = tuple(BannerEvent(NOW - timedelta(days=40 - i),
                               "emergency" if i % 2 else "see_professional", reasons[: 1 + i % 3],
                               "shown" if i % 3 else "dismissed") for i in range(40))
    every_flag = {name: True for name in ("bladder_bowel", "saddle_numbness", "leg_weakness",
                                          "fever", "serious_fall", "weight_loss",
                                          "cancer_history", "leg_pain_shooting",
                                          "cannot_stand_straight")}
    return HistoryData(tuple(ratings), tuple(sessions),
                       SymptomAnswers(NOW - timedelta(days=1), **every_flag), events)


@pytest.fixture(scope="module")
def worst(qapp) -> RenderedReport:
    report = build_report(worst_history(), PROGRAMME, NOW)
    assert report.advice.level == "emergency"
    return render_report_pdf(report, "Sam Runner", A4)


@pytest.fixture(scope="module")
def typical(qapp) -> RenderedReport:
    return render_report_pdf(build_report(typical_history(), PROGRAMME, NOW), "Sam Runner", A4)


# --- Reading the PDF -----------------------------------------------------------------------


def pdftotext(*args: str) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)  # ligatures undone, no-break spaces as spaces


def pdf_text(path: Path, *pages: int) -> str:
    """The text of the PDF (or of its pages from ``pages[0]`` to ``pages[-1]``), one line."""
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return " ".join(pdftotext("-layout", *span, str(path), "-").split())


Box = tuple[float, float, float, float]  # left, top, right, bottom


def pdf_words(path: Path) -> dict[int, list[tuple[Box, str]]]:
    """Every word's box in points from the page's top-left corner, by page (from 1)."""
    words: dict[int, list[tuple[Box, str]]] = {}
    for number, page in enumerate(pdftotext("-bbox", str(path), "-").split("<page ")[1:], 1):
        words[number] = [
            ((float(x0), float(y0), float(x1), float(y1)), html.unescape(text))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"(.*?)</word>", page)]
    return words


def edges(rect: QRectF) -> Box:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def inside(box: Box, area: QRectF, slack: float = 0.01) -> bool:
    left, top, right, bottom = edges(area)
    return (box[0] >= left - slack and box[1] >= top - slack and box[2] <= right + slack
            and box[3] <= bottom + slack)


def media_box(data: bytes) -> tuple[float, float]:
    """The first page's width and height in points."""
    found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert found
    return float(found.group(1)), float(found.group(2))


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def check_pdf(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000
    return data


def overlapping(boxes: list[tuple[Box, str]], slack: float = 0.01) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap by more than *slack* both ways (a sweep down the page)."""
    ordered = sorted(boxes, key=lambda b: b[0][1])
    found = []
    for i, ((left, _top, right, bottom), text) in enumerate(ordered):
        for (b_left, b_top, b_right, _b_bottom), b_text in ordered[i + 1:]:
            if b_top >= bottom - slack:
                break
            if left < b_right - slack and b_left < right - slack:
                found.append((text, b_text))
    return found


def write(rendered: RenderedReport, tmp_path: Path, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(rendered.data)
    return path


# --- What the report says ----------------------------------------------------------------


def test_report_pdf_is_written_with_what_the_physio_needs(qapp, tmp_path):
    path = tmp_path / "report.pdf"
    pages = write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path, page_size=A4)
    assert pages == page_count(check_pdf(path))
    flat = pdf_text(path)
    assert "Exercise and pain report" in flat
    assert "Patient: ____" in flat
    assert "Routine: Core <b>strength</b> (version 1.2)" in flat
    assert "3 times a week for 6 weeks" in flat and "Programme: week 3 of 6" in flat
    assert "Before a session" in flat and "Starting level" in flat  # the chart's legend
    assert "Advice now — See a professional soon" in flat
    assert REASON in flat
    assert " ".join(NOT_A_DIAGNOSIS.split()) in flat
    assert "Yes: Does pain spread down one of your legs, below the knee?" in flat
    assert "dismissed" in flat and "Generated Wed 20 Mar 2024" in flat


def test_the_sections_come_in_order_with_the_summary_on_page_one(typical, tmp_path):
    path = write(typical, tmp_path)
    flat = pdf_text(path)
    where = [flat.find(section) for section in SECTIONS]
    assert -1 not in where and where == sorted(where), dict(zip(SECTIONS, where, strict=True))
    first = pdf_text(path, 1)
    for section in SECTIONS[:6]:
        assert section in first
    assert "Every pain rating" not in first
    # Which exercises hurt: the during-ratings by exercise, with count, median and highest.
    assert re.search(r"Exercise Ratings Median Highest( [A-Z][a-z -]+ \d+ [\d.]+ \d+){4}",
                     first)
    # The adherence table: prescribed and done, week by week.
    assert re.search(r"Week 1 2 3 4 All Prescribed 3 3 3 3 12 Done( \d+){5}", first)


def test_every_rating_is_listed_with_its_note_in_full(typical, tmp_path):
    flat = pdf_text(write(typical, tmp_path))
    history = typical_history()
    assert flat.count(" ".join(NOTE.split())) == sum(r.note == NOTE for r in history.ratings)
    assert flat.count("woke up stiff") == sum(r.note == "woke up stiff" for r in history.ratings)
    assert re.search(r"During session \d+ (Bird dog|Side plank|Glute bridge|Cat-cow) lower back",
                     flat)
    assert "March 2024:" in flat and "February 2024:" in flat  # a table a month
    assert "Partly done 30 %" in flat and "Completed 100 %" in flat  # exercise time done


def test_every_page_has_its_number_and_the_not_a_diagnosis_line(typical, tmp_path):
    path = write(typical, tmp_path)
    for page in range(1, typical.pages + 1):
        text = pdf_text(path, page)
        assert f"Page {page} of {typical.pages}" in text
        assert "not medical advice and not a diagnosis" in text


def test_an_empty_history_still_makes_a_report(qapp, tmp_path):
    path = tmp_path / "empty.pdf"
    write_report_pdf(build_report(HistoryData(), None, NOW), path, patient="Sam Runner")
    check_pdf(path)
    flat = pdf_text(path)
    assert "Patient: Sam Runner" in flat and "____" not in flat
    assert "No pain ratings yet." in flat
    assert "The symptom questions have not been answered." in flat
    assert "The care banner has not been shown." in flat


def test_an_advice_level_this_version_does_not_know_is_shown_as_serious(qapp, tmp_path):
    report = dataclasses.replace(
        build_report(sample_history(), ROUTINE, NOW),
        advice=Advice("call_an_ambulance", ("A rule of newer care guidance.",),
                      "See a GP today."))
    rendered = render_report_pdf(report, page_size=A4)
    flat = pdf_text(write(rendered, tmp_path))
    assert "Advice now — Advice: call an ambulance" in flat
    assert "A rule of newer care guidance." in flat and "See a GP today." in flat


# --- Pages and layout --------------------------------------------------------------------


def test_the_page_count_grows_with_the_content(qapp, typical, worst):
    empty = render_report_pdf(build_report(HistoryData(), None, NOW), page_size=A4)
    sample = render_report_pdf(build_report(sample_history(), ROUTINE, NOW), page_size=A4)
    assert 1 == empty.pages < sample.pages <= typical.pages < worst.pages
    assert worst.pages > 100
    for rendered in (empty, sample, typical, worst):
        assert page_count(rendered.data) == rendered.pages


@pytest.mark.parametrize("name", ["typical", "worst"])
def test_no_two_lines_overlap_and_none_crosses_the_margins_or_the_footer(name, request):
    rendered: RenderedReport = request.getfixturevalue(name)
    assert rendered.body.bottom() < rendered.footer.top()
    assert QRectF(rendered.page).contains(rendered.footer)
    by_page: dict[tuple[int, bool], list[tuple[Box, str]]] = {}
    for box in rendered.boxes:
        area = rendered.footer if box.kind == "footer" else rendered.body
        assert 1 <= box.page <= rendered.pages
        assert inside(edges(box.rect), area), box
        by_page.setdefault((box.page, box.kind == "chart"), []).append((edges(box.rect),
                                                                        box.text))
    for (page, _chart), boxes in by_page.items():
        assert not overlapping(boxes), f"page {page}"
    pages = {box.page for box in rendered.boxes if box.kind == "body"}
    assert pages == set(range(1, rendered.pages + 1))  # no empty page
    assert sum(box.kind == "footer" for box in rendered.boxes) >= 2 * rendered.pages


def test_the_worst_case_pdf_has_no_word_over_another(worst, tmp_path):
    words = pdf_words(write(worst, tmp_path))
    assert len(words) == worst.pages
    for page, boxes in words.items():
        outside = [text for box, text in boxes
                   if not inside(box, worst.body, 0.5) and not inside(box, worst.footer, 0.5)]
        assert not outside, f"page {page}: {outside[:5]}"
        # pdftotext's word boxes are the font's full height, taller than a line: compare
        # their middle 60 %, which is where the letters are.
        cores = [((x0 + 0.2, y0 + (y1 - y0) * 0.2, x1 - 0.2, y1 - (y1 - y0) * 0.2), text)
                 for (x0, y0, x1, y1), text in boxes]
        assert not overlapping(cores), f"page {page}"


def test_no_chart_line_crosses_a_chart_label(worst, typical):
    for rendered in (typical, worst):
        labels = [b for b in rendered.boxes if b.kind == "chart"]
        assert labels and rendered.chart_lines
        host = [b for b in rendered.boxes if b.kind == "body" and b.text == "\ufffc"]
        assert len(host) == 1
        assert all(host[0].rect.adjusted(-0.1, -0.1, 0.1, 0.1).contains(b.rect)
                   for b in labels)
        for page, line in rendered.chart_lines:
            span = QRectF(line.p1(), line.p2()).normalized().adjusted(-0.01, -0.01, 0.01, 0.01)
            for label in labels:
                assert label.page == page
                assert not span.intersects(label.rect), (label.text, line)


def test_a_number_and_its_percent_sign_stay_on_one_line(worst, typical):
    for rendered in (typical, worst):
        texts = [b.text for b in rendered.boxes if b.kind == "body"]
        assert not [t for t in texts if t.lstrip().startswith("%")]
        assert any(re.search(r"\d\u00a0%", t) for t in texts)


def test_headings_stay_with_what_follows(worst):
    body = [b for b in worst.boxes if b.kind == "body"]
    for i, box in enumerate(body[:-1]):
        if box.text.startswith(("Every pain rating", "Sessions (", "Care banner:",
                                report_pdf.EXERCISES_HEADING, report_pdf.SYMPTOMS_HEADING)):
            assert body[i + 1].page == box.page, box.text


# --- Paper --------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "territory", "paper"), [
    (QLocale.Language.English, QLocale.Country.UnitedStates, QPageSize.PageSizeId.Letter),
    (QLocale.Language.French, QLocale.Country.Canada, QPageSize.PageSizeId.Letter),
    (QLocale.Language.Spanish, QLocale.Country.Mexico, QPageSize.PageSizeId.Letter),
    (QLocale.Language.English, QLocale.Country.UnitedKingdom, QPageSize.PageSizeId.A4),
    (QLocale.Language.German, QLocale.Country.Germany, QPageSize.PageSizeId.A4),
    (QLocale.Language.C, QLocale.Country.AnyCountry, QPageSize.PageSizeId.A4),
])
def test_the_paper_follows_the_locale(language, territory, paper):
    assert page_size_for(QLocale(language, territory)).id() == paper


def test_letter_paper_is_laid_out_for_letter(qapp, tmp_path):
    rendered = render_report_pdf(build_report(typical_history(), PROGRAMME, NOW),
                                 page_size=LETTER)
    assert (round(rendered.page.width()), round(rendered.page.height())) == (612, 792)
    first_page = [box.text for box in rendered.boxes if box.page == 1]
    others = len(SYMPTOM_QUESTIONS) - 1
    assert f"No to the other {others}." in first_page  # the whole summary on the shorter page too
    assert media_box(rendered.data) == (612, 792)
    for box in rendered.boxes:
        assert inside(edges(box.rect), rendered.footer if box.kind == "footer" else rendered.body)


def test_the_default_paper_is_the_locales(qapp, tmp_path):
    before = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        path = tmp_path / "letter.pdf"
        write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path)
        assert media_box(path.read_bytes()) == (612, 792)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Ireland))
        write_report_pdf(build_report(sample_history(), ROUTINE, NOW), path)
        assert media_box(path.read_bytes()) == (595, 842)
    finally:
        QLocale.setDefault(before)


# --- Writing -------------------------------------------------------------------------------


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
    assert "<i>x</i>" in pdf_text(path)


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


def test_the_red_flag_confirmations_are_in_the_report_with_their_dates(qapp, tmp_path):
    from player.core.history import SYMPTOM_FIELDS, CareConfirmation

    answered = NOW - timedelta(days=2)
    history = dataclasses.replace(
        sample_history(),
        symptoms=SymptomAnswers(answered, **dict.fromkeys(SYMPTOM_FIELDS, False)),
        confirmations=(CareConfirmation(NOW - timedelta(days=1), "urgent_today",
                                        "clinician_checked"),
                       CareConfirmation(NOW - timedelta(days=3), "urgent_today",
                                        "will_contact_today")))
    report = build_report(history, ROUTINE, NOW)
    assert [c["kind"] for c in report.to_json()["confirmations"]] == [
        "will_contact_today", "clinician_checked"]  # oldest first
    path = tmp_path / "confirmed.pdf"
    write_report_pdf(report, path)
    flat = " ".join(pdf_text(path).split())
    assert "What the person confirmed about red-flag advice" in flat
    assert "I will contact them today, start anyway" in flat
    assert "a clinician has checked the signs that needed care today" in flat
    from player.core.report import format_report

    text = format_report(report)
    assert "What the person confirmed about red-flag advice" in text
    assert "I will contact them today, start anyway" in text


def test_a_session_stopped_for_a_red_flag_is_listed_and_not_counted_as_done(qapp, tmp_path):
    from player.core.report import RED_FLAG_STOPS_HEADING, format_report

    history = sample_history()
    started = NOW - timedelta(days=1, hours=2)
    stopped = Session(len(history.sessions) + 1, ROUTINE.title, "1.2", "", started,
                      started + timedelta(minutes=4), "stopped_red_flag", 2, 0,
                      planned_exercise_seconds=60.0, done_exercise_seconds=60.0)
    plain = build_report(history, ROUTINE, NOW)
    report = build_report(dataclasses.replace(history, sessions=(*history.sessions, stopped)),
                          ROUTINE, NOW)
    data = report.to_json()
    assert data["red_flag_stops"] == [{
        "session": stopped.id, "started": started.isoformat(timespec="seconds"),
        "ended": (started + timedelta(minutes=4)).isoformat(timespec="seconds"),
        "routine": ROUTINE.title}]
    assert plain.to_json()["red_flag_stops"] == []
    # All its exercise time was done, yet adherence is as if it had not been played.
    ours, theirs = data["adherence"], plain.to_json()["adherence"]
    assert (ours["percent"], ours["sessions_done"]) == (theirs["percent"], theirs["sessions_done"])
    assert [w["done"] for w in ours["weeks"]] == [w["done"] for w in theirs["weeks"]]
    assert sum(w["started"] for w in ours["weeks"]) == \
        sum(w["started"] for w in theirs["weeks"]) + 1  # started, but not done
    text = format_report(report)
    assert RED_FLAG_STOPS_HEADING in text and f"{started:%H:%M}  {ROUTINE.title}" in text
    assert RED_FLAG_STOPS_HEADING not in format_report(plain)
    path = tmp_path / "red-flag.pdf"
    write_report_pdf(report, path)
    flat = " ".join(pdf_text(path).split())
    assert " ".join(RED_FLAG_STOPS_HEADING.split()) in flat
    # Its row in the sessions table (the outcome wraps in its column beside the next cell).
    assert re.search(r"Stopped for a (\d+ % )?red flag", flat)


def test_the_report_shows_the_prescriber_and_the_clinician_notes(qapp, tmp_path: Path) -> None:
    from player.core.routine import Prescriber, RestStep

    routine = dataclasses.replace(
        PROGRAMME, prescriber=Prescriber("A. Physio", "Northside Physio", "0161 555 0123"),
        clinician_notes="Watch for peripheralisation.",
        blocks=(Block("Main", (RestStep(30, clinician_notes="Ask about pain here."),)),))
    path = tmp_path / "report.pdf"
    write_report_pdf(build_report(sample_history(), routine, NOW), path, page_size=A4)
    text = pdf_text(path)
    assert "Prescribed by A. Physio, Northside Physio, 0161 555 0123" in text
    assert "Clinician notes" in text and "Watch for peripheralisation." in text
    assert "Main, Rest: Ask about pain here." in text
