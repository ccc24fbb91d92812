"""The bundled exercise illustrations: one per exercise, well-formed, renderable and not blank."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
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


def exercise_ids() -> list[str]:
    """Return every exercise id in the bundled library."""
    library = yaml.safe_load(bundled.LIBRARY_FILE.read_text(encoding="utf-8"))
    return sorted(library["exercises"])


ALL_IDS = [*exercise_ids(), *EXTRA_IDS]


def render(ident: str) -> QImage:
    """Render one illustration at its natural 400x300 size onto a transparent image."""
    renderer = QSvgRenderer(str(ILLUSTRATIONS / f"{ident}.svg"))
    assert renderer.isValid(), f"{ident}.svg does not load in QtSvg"
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
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


def test_the_committed_files_match_the_generator() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
