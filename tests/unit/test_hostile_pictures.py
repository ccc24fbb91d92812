"""The hostile-picture corpus: each picture refused at its routine's line, and never drawn.

The files are in ``tests/fixtures/hostile/pictures/`` (written by ``make_pictures.py`` there):
one routine per picture, naming it at line 6. For each, ``validate`` must give the expected
warning at that line (the routine still plays, with the placeholder) as bounded work (a count of
calls, :mod:`tests.work`), and the window's drawing of it must be the placeholder with the same
reason, never blocking (a picture that is a pipe would block for ever: a hang guard fails it). The few good pictures are drawn, as themselves.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from player.cli import cmd_validate
from player.core import pictures
from player.ui.widgets.illustration import CANNOT_DRAW, PLACEHOLDER, prepare
from tests.pictures import HOSTILE_SVGS, within
from tests.unit.test_hostile_corpus import HANG_GUARD_SECONDS, assert_inert
from tests.work import counted

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
PICTURES = HOSTILE / "pictures"
LINE = 6
SIDE = 800


@dataclass(frozen=True)
class Expected:
    """The picture's file name and the start of the reason after "the picture FILE " (None:
    drawn as itself); ``window_only`` when only drawing finds the problem (not ``validate``)."""

    name: str
    picture: str
    reason: str | None
    window_only: bool = False


PIXELS = "pixels, more than the 40 megapixels allowed"
DAMAGED = "is damaged: its size in pixels cannot be read"
NOT_RASTER = "is not a PNG or JPEG image"

CASES = [
    *(Expected(f"svg-{name}", f"svg-{name}.svg", reason)
      for name, (_, reason) in HOSTILE_SVGS.items()),
    Expected("png-100000-square", "png-100000-square.png", f"is 100000 × 100000 {PIXELS}"),
    Expected("png-4-billion-wide", "png-4-billion-wide.png", f"is 4000000000 × 1 {PIXELS}"),
    Expected("png-zero-width", "png-zero-width.png", DAMAGED),
    Expected("png-no-header", "png-no-header.png", DAMAGED),
    Expected("png-undecodable", "png-undecodable.png", "could not be drawn (it may be damaged)",
             window_only=True),
    Expected("jpeg-65535-square", "jpeg-65535-square.jpg", f"is 65535 × 65535 {PIXELS}"),
    Expected("jpeg-no-frame", "jpeg-no-frame.jpg", DAMAGED),
    Expected("svg-named-png", "svg-named-png.png", NOT_RASTER),
    Expected("gif-named-png", "gif-named-png.png", NOT_RASTER),
    Expected("html-named-jpeg", "html-named-jpeg.jpeg", NOT_RASTER),
    Expected("good-png", "good-png.png", None),
    Expected("png-named-svg", "png-named-svg.svg", None),
    Expected("good-svg", "good-svg.svg", None),
]


def _load_maker():
    spec = importlib.util.spec_from_file_location("make_pictures", HOSTILE / "make_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def placeholder(qapp: QApplication) -> QImage:
    image = prepare(PLACEHOLDER, pictures.allowed_folders(None), SIDE).image
    assert image is not None and not image.isNull()
    return image


def test_the_corpus_is_what_make_pictures_writes(tmp_path: Path) -> None:
    written = _load_maker().write_all(tmp_path)
    assert len(written) >= 80
    for path in written:
        committed = PICTURES / path.name
        assert committed.is_file(), f"{committed} is missing: run make_pictures.py"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale"
    assert {p.name for p in PICTURES.iterdir()} == {p.name for p in written}
    assert {p.stem for p in written if p.suffix == ".yaml"} == {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_warns_at_the_line_naming_the_picture(case: Expected) -> None:
    path = PICTURES / f"{case.name}.yaml"
    out = io.StringIO()
    code, _calls = counted(lambda: cmd_validate([str(path)], out))  # bench_hostile times it
    assert code == 0  # a refused picture is a warning: the routine plays with the placeholder
    text = out.getvalue()
    assert_inert(text)
    lines = text.splitlines()
    if case.reason is None or case.window_only:
        assert lines == []
        return
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:{LINE}:19: warning: exercise `mine`, illustration: "
                               f"the picture {case.picture} {case.reason}"), lines[0]
    assert lines[0].endswith("; the app shows a placeholder instead")


@pytest.mark.qt_log_ignore(".*")  # Qt's PNG decoder complains about the undecodable one
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_window_draws_the_placeholder_with_the_reason(case: Expected,
                                                          placeholder: QImage) -> None:
    path = PICTURES / case.picture
    folders = pictures.allowed_folders(PICTURES / f"{case.name}.yaml")
    drawing, _calls = within(HANG_GUARD_SECONDS, lambda: counted(lambda: prepare(path, folders, SIDE)))
    assert drawing.image is not None and not drawing.image.isNull()
    if case.reason is None:
        assert drawing.reason == ""
        assert drawing.image != placeholder
        return
    assert drawing.reason.startswith(f"the picture {case.picture} {case.reason}"), drawing.reason
    assert drawing.image == placeholder
    if not case.window_only:  # the same words as validate's
        assert drawing.reason == pictures.refusal(path, folders)
    else:
        assert drawing.reason == CANNOT_DRAW.format(name=case.picture)
