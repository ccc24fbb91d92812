"""The window draws pictures from memory, off the GUI thread, and says why one is not shown.

Qt is never handed a picture's path: what it draws is what :mod:`player.core.pictures` read and
checked. An audit hook proves that loading and drawing a hostile routine's pictures opens
nothing outside the routine's folder and the bundled media.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from player.core import bundled, pictures
from player.core.loader import load_library, load_routine
from player.ui.widgets import illustration
from player.ui.widgets.illustration import PLACEHOLDER, IllustrationView, Picture, prepare
from tests.pictures import GOOD_SVG, HOSTILE_SVGS, hostile_routine, png, png_header, svg, within
from tests.unit.ui.harness import Harness

RED, BLUE = QColor(220, 30, 30), QColor(30, 30, 220)


def encoded(image: QImage, fmt: str) -> bytes:
    """``image`` saved as ``fmt`` (PNG, JPEG), in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    buffer.close()
    return bytes(data.data())


def halves(width: int = 80, height: int = 60) -> QImage:
    """A picture red on its left half and blue on its right."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(RED)
    painter = QPainter(image)
    painter.fillRect(width // 2, 0, width - width // 2, height, BLUE)
    painter.end()
    return image


def sparse(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk and no time to make."""
    path.write_bytes(b"")
    os.truncate(path, size)


def close_to(pixel: QColor, colour: QColor) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel.getRgb()[:3], colour.getRgb()[:3],
                                               strict=True))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "routine"
    path.mkdir()
    return path


@pytest.fixture
def view(qtbot, folder: Path) -> IllustrationView:
    widget = IllustrationView()
    qtbot.addWidget(widget)
    widget.resize(480, 360)
    widget.set_folders(pictures.allowed_folders(folder / "r.yaml"))
    return widget


def show(qtbot, view: IllustrationView, picture: Picture) -> IllustrationView:
    view.set_picture(picture)
    qtbot.waitUntil(lambda: view.drawn, timeout=5000)
    return view


def placeholder_image(side: int) -> QImage:
    drawing = prepare(PLACEHOLDER, (bundled.MEDIA_DIR,), side)
    assert drawing.image is not None and not drawing.reason
    return drawing.image


# --- what is drawn ------------------------------------------------------------------------------

def test_a_bundled_svg_is_drawn(qtbot, view: IllustrationView) -> None:
    show(qtbot, view, Picture(bundled.ILLUSTRATIONS_DIR / "plank.svg"))
    assert view.problem == "" and view.image is not None
    assert view.image.width() == illustration.RENDER_MIN  # 4:3, drawn at the smallest size
    assert view.image.height() == illustration.RENDER_MIN * 3 // 4


def test_an_own_svg_png_and_jpeg_are_drawn(qtbot, view: IllustrationView, folder: Path) -> None:
    (folder / "mine.svg").write_text(GOOD_SVG)
    (folder / "photo.png").write_bytes(encoded(halves(), "PNG"))
    (folder / "photo.jpg").write_bytes(encoded(halves(), "JPEG"))
    for name in ("mine.svg", "photo.png", "photo.jpg"):
        show(qtbot, view, Picture(folder / name))
        assert view.problem == "", name
    image = view.image
    assert image is not None and (image.width(), image.height()) == (80, 60)  # never enlarged
    assert close_to(image.pixelColor(5, 30), RED) and close_to(image.pixelColor(75, 30), BLUE)


def test_a_big_photo_is_decoded_at_the_size_it_is_shown(qtbot, view: IllustrationView,
                                                        folder: Path) -> None:
    (folder / "big.jpg").write_bytes(encoded(halves(4000, 3000), "JPEG"))
    show(qtbot, view, Picture(folder / "big.jpg"))
    assert view.image is not None and view.image.width() == illustration.RENDER_MIN


def test_the_picture_is_mirrored_when_painted(qtbot, view: IllustrationView, folder: Path) -> None:
    (folder / "halves.png").write_bytes(encoded(halves(), "PNG"))
    show(qtbot, view, Picture(folder / "halves.png"))
    plain = view.grab().toImage()
    view.set_picture(Picture(folder / "halves.png", mirrored=True))
    assert view.mirrored and view.drawn  # the same drawing, flipped
    flipped = view.grab().toImage()
    y = plain.height() // 2
    left, right = plain.width() // 4, plain.width() * 3 // 4
    assert close_to(plain.pixelColor(left, y), RED) and close_to(plain.pixelColor(right, y), BLUE)
    assert close_to(flipped.pixelColor(left, y), BLUE)
    assert close_to(flipped.pixelColor(right, y), RED)


def test_a_larger_card_draws_the_picture_again_sharper(qtbot, view: IllustrationView) -> None:
    view.show()
    show(qtbot, view, Picture(bundled.ILLUSTRATIONS_DIR / "plank.svg"))
    assert view.image is not None and view.image.width() == illustration.RENDER_MIN
    view.resize(1500, 1100)
    qtbot.waitUntil(lambda: view.image is not None and view.image.width() == 1600, timeout=5000)


# --- what is refused ----------------------------------------------------------------------------

def test_a_hostile_svg_shows_the_placeholder_and_the_reason(qtbot, view: IllustrationView,
                                                            folder: Path) -> None:
    (folder / "bird-dog.svg").write_text(svg('<image href="/etc/passwd"/>'))
    with qtbot.waitSignal(view.problem_changed) as signal:
        view.set_picture(Picture(folder / "bird-dog.svg"))
    assert signal.args == [
        "The picture bird-dog.svg links to another file (line 2 of the SVG); pictures must be "
        "self-contained."]
    assert view.drawn and view.image == placeholder_image(illustration.RENDER_MIN)


@pytest.mark.parametrize("case", sorted(HOSTILE_SVGS))
def test_every_hostile_svg_gives_the_placeholder_quickly(folder: Path, case: str) -> None:
    text, expected = HOSTILE_SVGS[case]
    (folder / f"{case}.svg").write_text(text, encoding="utf-8")
    drawing = within(5, lambda: prepare(folder / f"{case}.svg", (folder,), 800))
    assert drawing.reason.startswith(f"the picture {case}.svg {expected}"), drawing.reason
    assert drawing.image == placeholder_image(800)


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("pipe.svg", lambda p: os.mkfifo(p), "is a pipe, not an ordinary file"),
    ("huge.svg", lambda p: sparse(p, 200 * pictures.MB),
     "is 200 MB, more than the 2 MB allowed"),
    ("huge.png", lambda p: p.write_bytes(png_header(100_000, 100_000)),
     "is 100000 × 100000 pixels, more than the 40 megapixels allowed"),
    ("fake.png", lambda p: p.write_bytes(GOOD_SVG.encode()), "is not a PNG or JPEG image"),
    ("environ.svg", lambda p: os.symlink("/proc/self/environ", p), "is a link that points"),
    ("zero.png", lambda p: os.symlink("/dev/zero", p), "is a link that points outside"),
    ("gone.png", lambda p: None, "is not there"),
])
def test_bad_files_give_the_placeholder_quickly(folder: Path, name: str, make, reason: str
                                                ) -> None:
    make(folder / name)
    drawing = within(5, lambda: prepare(folder / name, (folder,), 800))
    assert drawing.reason.startswith(f"the picture {name} {reason}"), drawing.reason
    assert drawing.image is not None


@pytest.mark.qt_log_ignore(".*")  # Qt's PNG decoder complains about the broken data
def test_a_png_that_cannot_be_decoded_gives_the_placeholder(folder: Path) -> None:
    (folder / "broken.png").write_bytes(png_header(10, 10, idat=b"not zlib data at all"))
    drawing = prepare(folder / "broken.png", (folder,), 800)
    assert drawing.reason == "the picture broken.png could not be drawn (it may be damaged); " \
                             "save it again"
    assert drawing.image == placeholder_image(800)


def test_an_unexpected_failure_gives_the_placeholder(folder: Path, monkeypatch) -> None:
    (folder / "mine.png").write_bytes(png())
    monkeypatch.setattr(illustration, "_raster_image", lambda *a: 1 / 0)
    drawing = prepare(folder / "mine.png", (folder,), 800)
    assert drawing.reason.startswith("the picture mine.png could not be drawn")
    assert drawing.image is not None


def test_pictures_are_read_only_inside_the_folders_given(qtbot, view: IllustrationView,
                                                         tmp_path: Path) -> None:
    (tmp_path / "elsewhere.svg").write_text(GOOD_SVG)
    show(qtbot, view, Picture(tmp_path / "elsewhere.svg"))
    assert "is outside the routine's folder" in view.problem


# --- never blocking the window ------------------------------------------------------------------

def test_a_picture_that_takes_long_never_holds_up_the_window(qtbot, view: IllustrationView,
                                                             folder: Path, monkeypatch) -> None:
    (folder / "slow.svg").write_text(GOOD_SVG)
    release = threading.Event()
    real_read = pictures.read_picture

    def slow_read(path: Path, folders):
        if path.name == "slow.svg":
            release.wait(10)
        return real_read(path, folders)

    monkeypatch.setattr(pictures, "read_picture", slow_read)
    view.set_picture(Picture(folder / "slow.svg"))  # returns while the read is held up
    view.repaint()
    assert not view.drawn  # the card is shown, empty, while the picture is read
    release.set()
    qtbot.waitUntil(lambda: view.drawn, timeout=5000)
    assert view.problem == ""


def test_a_detailed_drawing_is_read_on_a_worker_and_drawn_on_the_gui_thread(
        qtbot, view: IllustrationView, folder: Path, monkeypatch) -> None:
    shapes = "".join(f'<path d="M{i % 400} {i % 300} l10 10 l-5 3 z" fill="#123" stroke="#456"/>'
                     for i in range(9_900))
    (folder / "detailed.svg").write_text(svg(shapes))
    # Read and checked on a worker; drawn on the window's thread, as Qt's SVG drawing on a
    # worker deadlocked against the window's own icons (how long: bench_window_files.py).
    drawn_on: list[str] = []
    real_image = illustration._image  # noqa: SLF001

    def image(picture, side):
        drawn_on.append(threading.current_thread().name)
        return real_image(picture, side)

    monkeypatch.setattr(illustration, "_image", image)
    view.set_picture(Picture(folder / "detailed.svg"))
    qtbot.waitUntil(lambda: view.drawn, timeout=20_000)
    assert view.problem == ""
    assert drawn_on == [threading.main_thread().name]


def test_a_picture_wanted_soon_is_ready_when_shown(qtbot, view: IllustrationView,
                                                   folder: Path) -> None:
    (folder / "next.svg").write_text(GOOD_SVG)
    view.prefetch(Picture(folder / "next.svg"))
    key = (folder / "next.svg", illustration.RENDER_MIN)
    qtbot.waitUntil(lambda: illustration.store().get(*key) is not None, timeout=5000)
    view.set_picture(Picture(folder / "next.svg"))
    assert view.drawn  # at once, no wait


def test_new_folders_read_pictures_afresh(qtbot, view: IllustrationView, folder: Path) -> None:
    path = folder / "changing.svg"
    path.write_text(GOOD_SVG)
    show(qtbot, view, Picture(path))
    path.write_text(svg("<script>x()</script>"))
    view.set_folders(view.folders)
    qtbot.waitUntil(lambda: view.drawn, timeout=5000)
    assert "contains a script" in view.problem


# --- in the window --------------------------------------------------------------------------------

ROUTINE = """\
format: 1
title: Hostile pictures
defaults: {lead_in: 0s, rest_after: 0s}
exercises:
  linked:
    name: Linked
    illustration: linked.svg
blocks:
  - name: Main
    steps:
      - exercise: linked
        hold: 10s
"""


def test_the_player_says_why_the_picture_is_not_shown(harness: Harness, qtbot,
                                                      tmp_path: Path) -> None:
    (tmp_path / "linked.svg").write_text(svg('<image href="file:///etc/passwd"/>'))
    path = tmp_path / "r.yaml"
    path.write_text(ROUTINE)
    harness.window.open_file(path)
    assert harness.window.start_routine(path.resolve(), 1)
    p = harness.player
    qtbot.waitUntil(lambda: p.illustration.drawn, timeout=5000)
    assert p.missing_picture.isVisibleTo(p)
    assert p.missing_label.text() == (
        "The picture linked.svg links to another file (line 2 of the SVG); pictures must be "
        "self-contained.")
    assert p.missing_label.textFormat() is Qt.TextFormat.PlainText


# --- nothing outside is opened ------------------------------------------------------------------

class _Recorder:
    """What the process opens (and whether it makes sockets or processes) while recording.

    An audit hook cannot be removed, so one is installed for the whole run and records only
    between :meth:`start` and :meth:`stop`.
    """

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] | None = None
        self.lock = threading.Lock()
        sys.addaudithook(self.hook)

    def hook(self, event: str, args: tuple[object, ...]) -> None:
        if self.events is None:
            return
        if event == "open" or event.startswith(("socket.", "subprocess.", "os.exec",
                                                "os.posix_spawn", "os.system")):
            with self.lock:
                if self.events is not None:
                    self.events.append((event, args[0] if args else None))

    def start(self) -> None:
        self.events = []

    def stop(self) -> list[tuple[str, object]]:
        events, self.events = self.events or [], None
        return events


_recorder: _Recorder | None = None


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    global _recorder
    if _recorder is None:
        _recorder = _Recorder()
    yield _recorder
    _recorder.stop()


def test_loading_and_drawing_hostile_pictures_opens_nothing_outside(
        qtbot, tmp_path: Path, recorder: _Recorder) -> None:
    routine_file, outside, direct = hostile_routine(tmp_path)
    library = load_library()
    view = IllustrationView()
    qtbot.addWidget(view)
    recorder.start()
    result = within(10, lambda: load_routine(routine_file, library))
    assert result.routine is not None
    view.set_folders(pictures.allowed_folders(routine_file))
    paths = [step.exercise.illustration or PLACEHOLDER  # type: ignore[union-attr]
             for block in result.routine.blocks for step in block.steps]
    for path in [*paths, *direct]:
        view.set_picture(Picture(path))
        qtbot.waitUntil(lambda: view.drawn, timeout=5000)
        assert view.problem or path == PLACEHOLDER, path
    events = recorder.stop()
    assert len(paths) == 11 and paths.count(PLACEHOLDER) == 1  # the FIFO is not read
    allowed = pictures.allowed_folders(routine_file)
    opened = [Path(os.path.realpath(os.fsdecode(arg))) for event, arg in events
              if event == "open" and isinstance(arg, str | bytes | os.PathLike)]
    assert opened, "the audit hook saw nothing: the test is not testing"
    assert [p for p in opened if not any(p.is_relative_to(root) for root in allowed)] == []
    assert not any(p.is_relative_to(outside) or p.name == "pipe.png" for p in opened)
    assert [event for event, _ in events if event != "open"] == []  # no socket, no process
    assert len(result.warnings) == 11
    assert all("placeholder" in p.message for p in result.warnings)


def test_an_svg_with_text_is_checked_on_a_worker_and_drawn_on_the_gui_thread(
        qtbot, view: IllustrationView, folder: Path, monkeypatch) -> None:
    (folder / "words.svg").write_text(svg('<text x="10" y="20">Hello</text>'))
    worker = prepare(folder / "words.svg", (folder,), 400, on_gui_thread=False)
    assert worker.image is None and worker.pending is not None and worker.reason == ""
    done = illustration.finish(worker)
    assert done.image is not None and not done.image.isNull() and done.pending is None
    drawn_on: list[str] = []
    real_image = illustration._image  # noqa: SLF001

    def image(picture, side):
        drawn_on.append(threading.current_thread().name)
        return real_image(picture, side)

    monkeypatch.setattr(illustration, "_image", image)
    view.set_picture(Picture(folder / "words.svg"))
    qtbot.waitUntil(lambda: view.drawn, timeout=5000)
    assert view.problem == "" and drawn_on == [threading.main_thread().name]
