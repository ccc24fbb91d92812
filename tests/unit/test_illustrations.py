"""The bundled exercise illustrations: one per exercise, well-formed, renderable, not blank, and
filling their card."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from player.core import bundled

# Read when the QApplication is created (by pytest-qt's qapp fixture), not at import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
ILLUSTRATIONS = bundled.ILLUSTRATIONS_DIR
GENERATOR = ROOT / "scripts" / "make_illustrations.py"
SVG_NS = "{http://www.w3.org/2000/svg}"
# Pictures the app shows outside the exercise library: care steps, rest and missing media.
EXTRA_IDS = ("ice_pack", "heat_pack", "rest", "placeholder")
BACKGROUND = QColor("#f6f4ee").rgba()
FIGURE_INK = QColor("#2b2d42").rgba()
WIDTH, HEIGHT = 400, 300
# How much of the card a picture's subject (the figure, its props and arrows; not the floor line
# or the mat) must span, measured on the rendered pixels: in the dimension that limits it (the
# larger of width / card width and height / card height), and, for a pose whose shape allows
# it (its smaller span is at least SQUARISH of its larger, relative to the card), in both.
LIMITING_FILL = 0.70
BOTH_FILL = 0.60
SQUARISH = 0.70
EDGE = 4  # pixels left clear at the card's edges: nothing is cut off


def exercise_ids() -> list[str]:
    """Return every exercise id in the bundled library."""
    library = yaml.safe_load(bundled.LIBRARY_FILE.read_text(encoding="utf-8"))
    return sorted(library["exercises"])


ALL_IDS = [*exercise_ids(), *EXTRA_IDS]


def render(ident: str, *, ground: bool = True) -> QImage:
    """Render one illustration at its natural 400x300 size onto a transparent image.

    Without ``ground`` the groups marked class="ground" (floor line, mat) are left out first.
    """
    path = ILLUSTRATIONS / f"{ident}.svg"
    if ground:
        renderer = QSvgRenderer(str(path))
    else:
        ET.register_namespace("", SVG_NS[1:-1])
        root = ET.parse(path).getroot()
        for parent in root.iter():
            for child in [c for c in parent if c.get("class") == "ground"]:
                parent.remove(child)
        renderer = QSvgRenderer(QByteArray(ET.tostring(root)))
    assert renderer.isValid(), f"{ident}.svg does not load in QtSvg"
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def pixel_shares(image: QImage) -> tuple[float, float]:
    """Return the shares of pixels that are drawn over the background and in figure ink."""
    pixels = memoryview(bytes(image.constBits())).cast("I")
    drawn = sum(1 for p in pixels if p != BACKGROUND and p >> 24)
    ink = sum(1 for p in pixels if p == FIGURE_INK)
    return drawn / len(pixels), ink / len(pixels)


def drawn_box(image: QImage) -> tuple[int, int, int, int]:
    """Return the bounding box (x0, y0, x1, y1, exclusive) of the pixels drawn over the card."""
    # Drawn: opaque (so not outside the card's rounded corners or on their antialiased edge,
    # and everything is drawn over the card) and not the card's own colour.
    drawn = [p >> 24 == 0xFF and p != BACKGROUND
             for p in memoryview(bytes(image.constBits())).cast("I")]
    width = image.width()
    rows = [y for y in range(image.height()) if any(drawn[y * width:(y + 1) * width])]
    assert rows, "nothing drawn"
    cols = [x for x in range(width) if any(drawn[x + rows[0] * width:(rows[-1] + 1) * width:width])]
    return cols[0], rows[0], cols[-1] + 1, rows[-1] + 1


def subject_fill(ident: str) -> tuple[float, float]:
    """Return the share of the card's width and height that the subject's drawn pixels span."""
    x0, y0, x1, y1 = drawn_box(render(ident, ground=False))
    return (x1 - x0) / WIDTH, (y1 - y0) / HEIGHT


def test_the_library_is_not_empty() -> None:
    assert len(exercise_ids()) >= 20


@pytest.mark.parametrize("ident", ALL_IDS)
def test_each_exercise_has_an_illustration(ident: str) -> None:
    assert (ILLUSTRATIONS / f"{ident}.svg").is_file()


@pytest.mark.parametrize("ident", ALL_IDS)
def test_each_illustration_is_small_well_formed_svg(ident: str) -> None:
    path = ILLUSTRATIONS / f"{ident}.svg"
    assert path.stat().st_size < 8 * 1024
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 400 300"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and (title.text or "").strip()


@pytest.mark.parametrize("ident", ALL_IDS)
def test_each_illustration_renders_with_a_visible_drawing(qapp, ident: str) -> None:
    drawn, ink = pixel_shares(render(ident))
    assert 0.02 < drawn < 0.85, f"{ident}: {drawn:.1%} of the pixels drawn over the background"
    if ident != "placeholder":
        assert ink > 0.01, f"{ident}: the figure covers only {ink:.1%} of the picture"


FIGURES = [ident for ident in ALL_IDS if ident != "placeholder"]  # the placeholder is an icon


@pytest.mark.parametrize("ident", FIGURES)
def test_each_figure_fills_its_card(qapp, ident: str) -> None:
    wide, high = subject_fill(ident)
    limiting, other = max(wide, high), min(wide, high)
    assert limiting >= LIMITING_FILL, (
        f"{ident}: the drawing spans {wide:.0%} of the card's width and {high:.0%} of its height")
    if other >= SQUARISH * limiting:
        assert other >= BOTH_FILL, (
            f"{ident}: {wide:.0%} wide and {high:.0%} high; a pose this shape can fill both ways")


@pytest.mark.parametrize("ident", FIGURES)
def test_nothing_is_cut_off_at_the_card_edge(qapp, ident: str) -> None:
    x0, y0, x1, y1 = drawn_box(render(ident))
    assert x0 >= EDGE and y0 >= EDGE and x1 <= WIDTH - EDGE and y1 <= HEIGHT - EDGE, (
        f"{ident}: drawn from ({x0}, {y0}) to ({x1}, {y1}) on a {WIDTH}x{HEIGHT} card")


def test_the_committed_files_match_the_generator() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
