"""The printable handout: what to do in a week, each exercise beside its picture, paginated
with nothing drawn over anything else at any length, on A4 and Letter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter

from player.app import main
from player.core import bundled
from player.core.loader import load_library, load_routine
from player.core.routine import (
    Block,
    Exercise,
    ExerciseStep,
    IceStep,
    Progression,
    RestStep,
    Routine,
    Schedule,
    Sides,
    Tempo,
)
from player.ui import handout_pdf
from player.ui.handout_pdf import (
    RenderedHandout,
    dose_text,
    render_handout_pdf,
    schedule_words,
    seconds_text,
    write_handout_pdf,
)
from tests.pictures import png

A4 = QPageSize(QPageSize.PageSizeId.A4)
LETTER = QPageSize(QPageSize.PageSizeId.Letter)
ROUTINES = bundled.ROUTINES_DIR if hasattr(bundled, "ROUTINES_DIR") else \
    Path(handout_pdf.__file__).parents[1] / "content" / "routines"
ILLUSTRATIONS = bundled.ILLUSTRATIONS_DIR
LONG = ("Keep your lower back still and breathe out as you move; if it aches, make the "
        "movement smaller and slower, and stop if you feel pain shooting down a leg. ")
Box = tuple[float, float, float, float]


def worst_routine() -> Routine:
    """60 exercises with long texts on every side, one longer than a page, and rests and ice."""
    pictures = sorted(p for p in ILLUSTRATIONS.glob("*.svg") if p.stem != "placeholder")
    steps: list[ExerciseStep | RestStep | IceStep] = []
    for n in range(60):
        exercise = Exercise(
            f"exercise_{n}", f"Exercise {n} with a name long enough to wrap " * (1 + n % 2),
            instructions=tuple(f"Step {k}: {LONG * (1 + (n + k) % 3)}" for k in range(1 + n % 6)),
            feel=(LONG,) if n % 2 else (),
            cautions=tuple(LONG for _ in range(n % 4)),
            illustration=None if n % 11 == 5 else pictures[n % len(pictures)])
        if n == 30:
            exercise = Exercise(exercise.id, "The longest exercise",
                                instructions=(LONG * 60,), illustration=pictures[0])
        steps.append(ExerciseStep(exercise, reps=10 if n % 3 else None,
                                  hold=None if n % 3 else 30.0, sets=1 + n % 3,
                                  tempo=Tempo(2, 1, 2) if n % 3 == 1 else None,
                                  sides=(Sides.NONE, Sides.BOTH, Sides.LEFT, Sides.RIGHT)[n % 4],
                                  note=LONG if n % 5 == 0 else "",
                                  progressions=(Progression(3, reps=12),) if n % 3 else ()))
        if n % 7 == 0:
            steps.append(RestStep(60.0, note=LONG))
        if n % 13 == 0:
            steps.append(IceStep(40 * 60.0))
    blocks = tuple(Block(f"Block {b}", tuple(steps[b * 12:(b + 1) * 12]))
                   for b in range((len(steps) + 11) // 12))
    return Routine("A very long routine " * 4, blocks, author="A physiotherapist " * 3,
                   version="2.0", description=LONG * 3, notes=LONG * 4,
                   sources=tuple(LONG for _ in range(5)),
                   schedule=Schedule(times_per_week=14, weeks=52))


@pytest.fixture(scope="module")
def worst(qapp) -> RenderedHandout:
    return render_handout_pdf(worst_routine(), 2, clinician=True, page_size=A4)


@pytest.fixture(scope="module")
def worst_letter(qapp) -> RenderedHandout:
    return render_handout_pdf(worst_routine(), 2, clinician=True, page_size=LETTER)


@pytest.fixture(scope="module")
def core(qapp) -> RenderedHandout:
    library = load_library()
    routine = load_routine(ROUTINES / "core-strength.yaml", library).routine
    assert routine is not None
    return render_handout_pdf(routine, 3, clinician=True, page_size=A4)


def edges(rect: QRectF) -> Box:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def overlapping(boxes: list[tuple[Box, str]], slack: float = 0.01) -> list[tuple[str, str]]:
    ordered = sorted(boxes, key=lambda b: b[0][1])
    found = []
    for i, ((left, _top, right, bottom), text) in enumerate(ordered):
        for (b_left, b_top, b_right, _b_bottom), b_text in ordered[i + 1:]:
            if b_top >= bottom - slack:
                break
            if left < b_right - slack and b_left < right - slack:
                found.append((text, b_text))
    return found


def inside(rect: QRectF, area: QRectF, slack: float = 0.01) -> bool:
    return (rect.left() >= area.left() - slack and rect.top() >= area.top() - slack
            and rect.right() <= area.right() + slack and rect.bottom() <= area.bottom() + slack)


def text_of(rendered: RenderedHandout) -> str:
    return " ".join(b.text for b in rendered.boxes if b.kind == "body").replace("\u00a0", " ")


def media_box(data: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert found
    return float(found.group(1)), float(found.group(2))


# --- No overprint at any length ----------------------------------------------------------


@pytest.mark.parametrize("name", ["worst", "worst_letter", "core"])
def test_no_line_or_picture_overlaps_another_or_leaves_its_page(name, request):
    rendered: RenderedHandout = request.getfixturevalue(name)
    assert rendered.body.bottom() < rendered.footer.top()
    assert QRectF(rendered.page).contains(rendered.footer)
    by_page: dict[int, list[tuple[Box, str]]] = {}
    for box in rendered.boxes:
        area = rendered.footer if box.kind == "footer" else rendered.body
        assert 1 <= box.page <= rendered.pages
        assert inside(box.rect, area), box
        by_page.setdefault(box.page, []).append((edges(box.rect), box.text))
    for page, boxes in by_page.items():
        assert not overlapping(boxes), f"page {page}"
    assert {b.page for b in rendered.boxes if b.kind == "body"} == set(
        range(1, rendered.pages + 1))  # no empty page


def test_the_worst_case_runs_to_many_pages_with_every_picture_and_line(worst):
    assert worst.pages > 30
    assert len(re.findall(rb"/Type\s*/Page\b", worst.data)) == worst.pages
    routine = worst_routine()
    expected = 0
    for block in routine.blocks:
        for step in block.steps:
            if isinstance(step, ExerciseStep) and step.exercise.illustration is not None:
                expected += 2 if step.sides is Sides.BOTH else 1
    assert sum(b.kind == "picture" for b in worst.boxes) == expected
    text = text_of(worst)
    assert text.count("The longest exercise") == 2  # its heading, and the clinician copy
    assert text.count("Tick a box for each session you do") == 1
    assert "Week 52" in text


def test_an_exercise_is_not_split_across_pages_when_it_fits_on_one(core):
    """Each exercise's pictures' captions, name, dose and text are on one page."""
    names = ("Cat cow", "Pelvic tilt", "Glute bridge", "Dead bug", "Bird dog", "Leg raise",
             "Plank", "Side plank")
    captions = set(handout_pdf.SIDE_CAPTIONS.values())
    boxes = [b for b in core.boxes if b.kind == "body"]
    boxes = boxes[:[b.text for b in boxes].index(handout_pdf.GRID_HEADING)]
    starts = [i for i, b in enumerate(boxes) if b.text in names]
    assert [boxes[i].text for i in starts] == list(names)
    for i in starts:
        first = i
        while boxes[first - 1].text in captions:
            first -= 1
        last = i + 1
        while last < len(boxes) and boxes[last].text not in captions | set(names) | {
                "Strength"}:
            last += 1
        assert {b.page for b in boxes[first:last]} == {boxes[i].page}, boxes[i].text
    pages = {b.text: b.page for b in boxes if b.text in names}
    assert len(set(pages.values())) > 1  # they do run over several pages


def test_a4_and_letter_paper(worst, worst_letter):
    assert media_box(worst.data) == pytest.approx((595.0, 842.0), abs=1)
    assert media_box(worst_letter.data) == pytest.approx((612.0, 792.0), abs=1)
    assert worst.page.width() == pytest.approx(595.3, abs=0.5)
    assert worst_letter.page.height() == pytest.approx(792, abs=0.5)


# --- What it says -------------------------------------------------------------------------


def test_the_handout_says_what_to_do_in_the_week(core):
    text = text_of(core)
    for wanted in ("Core strength for runners", "By Routine Player project",
                   "3 times a week for 6 weeks.", "This handout is for week 3 of 6.",
                   "The amounts change from week 4 and 5",
                   # week 3's doses: bridges 12 reps from week 3, plank 30 s from week 3
                   "3 sets of 12 repetitions; each repetition 2 s up, 3 s hold, 2 s down",
                   "3 times: hold for 30 s each time",
                   "How to do it", "Take care", "Left side", "Right side (mirrored)",
                   "Tick a box for each session you do", "Week 6", "Sources"):
        assert wanted in text, wanted
    assert "Week 7" not in text


def test_pictures_are_drawn_on_each_side_and_only_the_right_side_mirrored(core):
    placed = [b for b in core.boxes if b.kind == "picture"]
    assert [b.text for b in placed].count("bird_dog.svg") == 2  # both sides
    assert [b.text for b in placed].count("plank.svg") == 1
    assert all(b.rect.width() > 50 and b.rect.height() > 30 for b in placed)


def test_a_mirrored_picture_is_drawn_mirrored(qapp):
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for x in range(10):
        for y in range(10):
            image.setPixelColor(x, y, QColor("red"))  # the left half red
    drawn = {}
    for mirrored in (False, True):
        target = QImage(200, 100, QImage.Format.Format_RGB32)
        target.fill(QColor("black"))
        picture = handout_pdf._PictureObject()
        index = picture.add(image, mirrored, "test.png")
        painter = QPainter(target)
        from PySide6.QtGui import QTextCharFormat

        fmt = QTextCharFormat()
        fmt.setProperty(handout_pdf._PICTURE_ID, index)
        picture.drawObject(painter, QRectF(0, 0, 200, 100), None, 0, fmt)
        painter.end()
        drawn[mirrored] = (target.pixelColor(50, 50).name(), target.pixelColor(150, 50).name())
    assert drawn[False] == ("#ff0000", "#ffffff")
    assert drawn[True] == ("#ffffff", "#ff0000")


def test_the_clinician_copy_only_with_clinician(qapp, core):
    routine = load_routine(ROUTINES / "core-strength.yaml", load_library()).routine
    assert routine is not None
    patient = render_handout_pdf(routine, 3, page_size=A4)
    assert "Clinician copy" not in text_of(patient)
    text = text_of(core)
    assert "Clinician copy" in text and "Doses by week" in text
    assert "core-strength.yaml" in text
    assert "3 sets of 10 repetitions" in text  # the week 1-2 dose of the bridge
    assert core.pages > patient.pages
    # its clinician notes (its only format 1.1 field) are the clinician's alone
    assert handout_pdf._clinician_extras(routine) == (routine.clinician_notes,)
    assert "Week 1 takes about" in text and "Week 1 takes about" not in text_of(patient)


def test_the_prescriber_is_on_both_copies_and_clinician_notes_only_on_the_clinicians(qapp):
    import dataclasses

    from player.core.routine import Prescriber

    routine = load_routine(ROUTINES / "core-strength.yaml", load_library()).routine
    assert routine is not None
    routine = dataclasses.replace(routine, prescriber=Prescriber("A. Physio", "Northside", "0161"),
                                  clinician_notes="Watch for peripheralisation.")
    patient = text_of(render_handout_pdf(routine, 1, page_size=A4))
    clinician = text_of(render_handout_pdf(routine, 1, page_size=A4, clinician=True))
    assert "Prescribed by A. Physio, Northside, 0161" in patient
    assert "peripheralisation" not in patient
    assert "Watch for peripheralisation." in clinician


def test_a_refused_picture_is_left_out_and_said(qapp, tmp_path):
    outside = tmp_path / "elsewhere" / "bridge.png"
    outside.parent.mkdir()
    outside.write_bytes(png(40, 30))
    folder = tmp_path / "routine"
    folder.mkdir()
    (folder / "own.png").write_bytes(png(40, 30, (20, 20, 200)))
    steps = (ExerciseStep(Exercise("a", "Outside", illustration=outside), reps=5),
             ExerciseStep(Exercise("b", "Own picture", illustration=folder / "own.png"),
                          reps=5))
    routine = Routine("Pictures", (Block("Main", steps),), path=folder / "r.yaml")
    rendered = render_handout_pdf(routine, page_size=A4)
    assert [b.text for b in rendered.boxes if b.kind == "picture"] == ["own.png"]
    assert len(rendered.problems) == 1 and "Outside" in rendered.problems[0]
    assert "bridge.png" in rendered.problems[0]


@pytest.mark.parametrize(("seconds", "text"), [(30, "30 s"), (60, "1 min"), (90, "1 min 30 s"),
                                               (3900, "1 h 5 min"), (0, "0 s")])
def test_durations_read_as_words(seconds, text):
    assert seconds_text(seconds).replace("\u00a0", " ") == text


def test_doses_and_schedules_in_words():
    ex = Exercise("x", "X")
    assert dose_text(ExerciseStep(ex, reps=8)) == "8 repetitions; at your own pace."
    assert dose_text(ExerciseStep(ex, hold=20.0, sets=3, sides=Sides.BOTH,
                                  rest_between_sets=30)).replace("\u00a0", " ") == (
        "3 times: hold for 20 s each time; on each side, left then right; rest 30 s between "
        "sets.")
    assert dose_text(ExerciseStep(ex, reps=1, sides=Sides.RIGHT, rest_after=15)).replace(
        "\u00a0", " ") == "1 repetition; at your own pace; on your right side; then rest 15 s."
    week = Routine("R", (), schedule=Schedule(weekdays=("mon", "wed", "fri"), weeks=1))
    assert schedule_words(week) == "On Monday, Wednesday and Friday for 1 week."
    assert schedule_words(Routine("R", ())) == handout_pdf.NO_SCHEDULE


# --- The command line ------------------------------------------------------------------------


def test_handout_from_the_command_line(qapp, tmp_path, capsys):
    out = tmp_path / "handout.pdf"
    assert main(["handout", str(ROUTINES / "core-strength.yaml"), "--week", "5", "--pdf",
                 str(out), "--paper", "letter", "--clinician"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert media_box(data) == pytest.approx((612.0, 792.0), abs=1)
    assert "Handout for week 5 written to" in capsys.readouterr().out


@pytest.mark.parametrize("week", ["0", "-1", "7", "99"])
def test_a_week_outside_the_schedule_is_refused(qapp, tmp_path, capsys, week):
    out = tmp_path / "handout.pdf"
    assert main(["handout", str(ROUTINES / "core-strength.yaml"), "--week", week,
                 "--pdf", str(out)]) == 2
    assert f"--week {week}:" in capsys.readouterr().err
    assert not out.exists()


def test_a_file_with_errors_is_refused_with_its_problems(qapp, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\ntitle: x\n", encoding="utf-8")
    assert main(["handout", str(bad), "--pdf", str(tmp_path / "h.pdf")]) == 1
    assert "bad.yaml:" in capsys.readouterr().err


def test_an_unwritable_pdf_is_a_message(qapp, tmp_path, capsys):
    assert main(["handout", str(ROUTINES / "flare-up-day.yaml"), "--pdf",
                 str(tmp_path / "missing" / "h.pdf")]) == 4
    assert "cannot write the handout" in capsys.readouterr().err


def test_write_handout_pdf_writes_the_file(qapp, tmp_path):
    routine = load_routine(ROUTINES / "flare-up-day.yaml", load_library()).routine
    assert routine is not None
    written = write_handout_pdf(routine, tmp_path / "h.pdf", page_size=A4)
    assert (tmp_path / "h.pdf").read_bytes() == written.data
    assert written.boxes == ()
